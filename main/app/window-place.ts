// The window opens where the operator left it: same size and place, maximized if it was. A place
// that no screen shows any more (a monitor unplugged, a laptop off its dock) is not restored:
// the window would open out of reach, so it opens at the default size, centered.
import type { BrowserWindow, Rectangle } from 'electron';
import type { Bounds, DesktopPrefs } from './desktop-prefs';

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 900, height: 600 };
/** How much of the window's top must be on a screen for the operator to grab it there. */
const GRAB = { width: 120, height: 40 };
/** How long the window must stay still before its place is written (moving it fires many events). */
export const SETTLE_MS = 500;

export interface WindowPlace {
  /** Undefined: the default size, centered by the system. */
  bounds?: Bounds;
  maximized: boolean;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Where to open the window, given what was saved and the work areas of the screens there are now. */
export function placeWindow(saved: (Bounds & { maximized: boolean }) | undefined, screens: readonly Rectangle[]): WindowPlace {
  if (!saved) return { maximized: false };
  const { maximized, ...bounds } = saved;
  const top = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, GRAB.height) };
  const screen = screens.find((area) => {
    const seen = overlap(top, area);
    return seen.width >= Math.min(GRAB.width, bounds.width) && seen.height >= Math.min(GRAB.height, top.height);
  });
  if (!screen) return { maximized };
  // A window larger than the screen it is on now (a smaller monitor) is shrunk to it.
  const width = Math.max(Math.min(bounds.width, screen.width), Math.min(MIN_SIZE.width, screen.width));
  const height = Math.max(Math.min(bounds.height, screen.height), Math.min(MIN_SIZE.height, screen.height));
  return { bounds: { x: bounds.x, y: bounds.y, width, height }, maximized };
}

/** Writes the window's place when it has settled after a move or resize, and when it closes. */
export function rememberPlace(window: BrowserWindow, prefs: DesktopPrefs): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (window.isDestroyed()) return;
    // The normal bounds: a maximized window reopens maximized, and un-maximizes to where it was.
    const { x, y, width, height } = window.getNormalBounds();
    const whole = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
    void prefs.update({ window: { ...whole, maximized: window.isMaximized() } });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SETTLE_MS);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', later);
  window.on('close', save);
}
