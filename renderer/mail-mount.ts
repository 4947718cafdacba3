// Puts a sanitized mail into the shadow root of its message: Postdesk's styles and selectors do
// not reach inside, the mail's do not reach out, and the box it is drawn in clips whatever it
// does inside (contain: paint also holds any absolutely placed element inside the message).
import { MAIL_BODY_CLASS } from './mail-css';
import { LINK_ATTR, STYLE_ATTR, type SanitizedMail } from './sanitize';

const BASE_CSS = `
:host { display: block; contain: layout paint; isolation: isolate; overflow-x: auto; overflow-wrap: anywhere; }
.${MAIL_BODY_CLASS} img { max-width: 100%; }
[${LINK_ATTR}] { color: #2563eb; text-decoration: underline; cursor: pointer; }
`;

let baseSheet: CSSStyleSheet | undefined;

export function mountMail(root: ShadowRoot, mail: SanitizedMail): void {
  baseSheet ??= sheetOf(BASE_CSS);
  // Constructed sheets and CSSOM are how styles get past the CSP, which forbids inline ones.
  root.adoptedStyleSheets = [baseSheet, sheetOf(mail.css)];
  const template = document.createElement('template');
  template.innerHTML = mail.html; // parsed inert: nothing loads until it is in the page
  const body = document.createElement('div');
  body.className = MAIL_BODY_CLASS;
  body.append(template.content);
  root.replaceChildren(body);
  for (const element of root.querySelectorAll<HTMLElement>(`[${STYLE_ATTR}]`)) {
    element.style.cssText = mail.inlineStyles[Number(element.getAttribute(STYLE_ATTR))] ?? '';
    element.removeAttribute(STYLE_ATTR);
  }
}

function sheetOf(css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

export interface MailLink {
  href: string;
  /** What the mail shows as the link. */
  text: string;
}

/** The link an activation (click, Enter) in the message landed on, if any. */
export function activatedLink(event: Event): MailLink | null {
  if (event.type === 'keydown' && (event as KeyboardEvent).key !== 'Enter') return null;
  const target = event.target instanceof Element ? event.target.closest(`[${LINK_ATTR}]`) : null;
  if (!target) return null;
  return { href: target.getAttribute(LINK_ATTR)!, text: (target.textContent ?? '').replace(/\s+/g, ' ').trim() };
}
