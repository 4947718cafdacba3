// A mail's own styles, kept (mail looks like itself) but unable to reach out or out of its box.
// The browser's CSS parser reads them (so escapes like `u\72l(` come back as `url(`), and only
// what it read back is kept: no declaration that names a resource, no custom property or var()
// that could carry one, no fixed or sticky box over the app, only style, @media and @supports
// rules (no @import, @font-face, @keyframes, @layer …), and selectors renamed to the mail- names
// the sanitizer gives the mail's classes and ids. The message is shown in a shadow root, so these
// rules match nothing of Postdesk's own page either way.

/** CSS functions that load something, or could be made to (var/attr/env substitute text). */
const REACHES_OUT = /(?:url|image|image-set|cross-fade|element|paint|src|attr|var|env)\s*\(/i;

/** Boxes that would sit over the app instead of inside the message. */
const LEAVES_THE_MESSAGE: Record<string, RegExp> = { position: /^(?:fixed|sticky|-webkit-sticky)$/i };

/** The class of the element that holds a message inside its shadow root (mail classes all start with mail-). */
export const MAIL_BODY_CLASS = 'postdesk-body';

function scratchStyle(): CSSStyleDeclaration {
  return document.createElement('div').style;
}

function keeps(name: string, value: string): boolean {
  if (name.startsWith('--') || REACHES_OUT.test(value)) return false;
  return !LEAVES_THE_MESSAGE[name]?.test(value.trim());
}

/** The declarations of one block that may stay, as CSS text ('' when none). */
function keptDeclarations(input: CSSStyleDeclaration): string {
  const output = scratchStyle();
  for (let i = 0; i < input.length; i++) {
    const name = input.item(i);
    const value = input.getPropertyValue(name);
    if (keeps(name, value)) output.setProperty(name, value, input.getPropertyPriority(name));
  }
  return output.cssText;
}

/** A style="" attribute's text, read by the browser and cut down to what may stay. */
export function cleanInlineStyle(text: string): string {
  const input = scratchStyle();
  input.cssText = text;
  return keptDeclarations(input);
}

function identEnd(s: string, i: number): number {
  while (i < s.length) {
    if (s[i] === '\\') i += 2;
    else if (/[\w\-\u0080-\uffff]/.test(s[i]!)) i++;
    else break;
  }
  return i;
}

function quotedEnd(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== quote) j += s[j] === '\\' ? 2 : 1;
  return j + 1;
}

function bracketEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== ']') {
    if (s[j] === '"' || s[j] === "'") j = quotedEnd(s, j);
    else j += s[j] === '\\' ? 2 : 1;
  }
  return j + 1;
}

/** Could style the element of ours that holds the message, from inside its shadow root. */
const STYLES_THE_HOST = /:host|::slotted|::part/i;

/**
 * A mail selector on the names the sanitizer gave the mail's elements: `.x` → `.mail-x`,
 * `#x` → `#mail-x`, `body`/`html` → the message's own body. Attribute selectors are left as they
 * are (at worst they match nothing). Null when the selector could reach our host element.
 */
export function scopeSelector(selector: string): string | null {
  if (STYLES_THE_HOST.test(selector)) return null;
  let out = '';
  let i = 0;
  while (i < selector.length) {
    const c = selector[i]!;
    let end: number;
    if (c === '"' || c === "'") end = quotedEnd(selector, i);
    else if (c === '[') end = bracketEnd(selector, i);
    else if (c === '\\') end = i + 2;
    else if (c === '.' || c === '#') {
      end = identEnd(selector, i + 1);
      out += `${c}mail-${selector.slice(i + 1, end)}`;
      i = end;
      continue;
    } else if (c === ':') {
      let j = i;
      while (selector[j] === ':') j++;
      end = identEnd(selector, j);
    } else if (/[\w\-\u0080-\uffff]/.test(c)) {
      end = identEnd(selector, i);
      const name = selector.slice(i, end);
      out += /^(?:html|body)$/i.test(name) ? `.${MAIL_BODY_CLASS}` : name;
      i = end;
      continue;
    } else end = i + 1;
    out += selector.slice(i, end);
    i = end;
  }
  return out;
}

function parse(text: string): CSSRuleList | null {
  const sheet = new CSSStyleSheet();
  try {
    sheet.replaceSync(text); // @import is ignored here by the browser itself
  } catch {
    return null;
  }
  return sheet.cssRules;
}

/** The rules that may stay, each as CSS text, with their selectors passed through `select`. */
function keptRules(rules: CSSRuleList, select: (selector: string) => string | null): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    if (rule instanceof CSSStyleRule) {
      const selector = select(rule.selectorText);
      const body = keptDeclarations(rule.style);
      if (selector && body) out.push(`${selector} { ${body} }`);
    } else if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule) {
      const inner = keptRules(rule.cssRules, select);
      const at = rule instanceof CSSMediaRule ? '@media' : '@supports';
      if (inner.length > 0) out.push(`${at} ${rule.conditionText} { ${inner.join(' ')} }`);
    }
  }
  return out;
}

/**
 * The mail's <style> elements as one style sheet of ours. What was written is read back by the
 * browser once more and checked again, so a selector that our renaming would have turned into
 * something else cannot smuggle in a rule the first reading did not see.
 */
export function mailStyleSheet(texts: readonly string[]): string {
  const scoped = texts.flatMap((text) => {
    const rules = parse(text);
    return rules ? keptRules(rules, scopeSelector) : [];
  });
  const reread = parse(scoped.join('\n'));
  return reread ? keptRules(reread, (s) => (STYLES_THE_HOST.test(s) ? null : s)).join('\n') : '';
}
