// Runs in the test page (bundled by tests/e2e/viewer.spec.ts): the contrast of what an operator
// reads, measured from the page as Chromium drew it. The computed text colour is set against the
// background the element really sits on (its own, or its ancestors' shining through, with
// semi-transparent layers blended), with opacity applied. The formula is WCAG 2's relative
// luminance; 4.5:1 is its minimum for normal text (success criterion 1.4.3).
import type { ControlContrast } from '../support/contrast-outcome';

type Rgba = [number, number, number, number];

function parse(css: string): Rgba {
  const parts = /rgba?\(([^)]+)\)/.exec(css)?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number) ?? [0, 0, 0, 0];
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
}

function over(top: Rgba, below: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
}

function luminance([r, g, b]: Rgba): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function backgroundOf(element: Element): Rgba {
  const layers: Rgba[] = [];
  for (let node: Element | null = element; node; node = node.parentElement) {
    const layer = parse(getComputedStyle(node).backgroundColor);
    if (layer[3] > 0) layers.push(layer);
    if (layer[3] >= 1) break;
  }
  // Below everything, the canvas: white.
  return layers.reverse().reduce<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

function opacityOf(element: Element): number {
  let opacity = 1;
  for (let node: Element | null = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
  return opacity;
}

const hasOwnText = (element: Element) => [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
/** Laid out, not hidden, and not drawn transparent (a PDF's text layer: what is read there is the canvas below). */
const isShown = (element: Element) =>
  element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden' && parse(getComputedStyle(element).color)[3] > 0;

/** Every control (button, link, field) and every other piece of text under `root`, with its contrast. */
export function contrastsOf(root: Element): ControlContrast[] {
  const targets = [...root.querySelectorAll('button, [role="button"], a[href], input, select')];
  for (const element of root.querySelectorAll('*')) if (hasOwnText(element) && !targets.some((t) => t.contains(element))) targets.push(element);
  return targets.filter(isShown).map((element) => {
    const background = backgroundOf(element);
    const color = parse(getComputedStyle(element).color);
    const seen = over([color[0], color[1], color[2], color[3] * opacityOf(element)], background);
    const [light, dark] = [luminance(seen), luminance(background)].sort((a, b) => b - a) as [number, number];
    return {
      control: element.getAttribute('aria-label') ?? (element.textContent ?? '').trim(),
      color: getComputedStyle(element).color,
      background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
      ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
    };
  });
}
