// HTML mail is shown only after DOMPurify has removed scripts, forms, frames, event handlers
// and styles that could reach out; remote images stay blocked until the operator asks, and
// inline cid: images point at our own attachment route.
import DOMPurify from 'dompurify';

export interface SanitizedHtml {
  html: string;
  blockedImages: number;
}

const FORBID_TAGS = ['form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'style', 'svg', 'math'];

export function sanitizeMail(html: string, options: { cidUrl(contentId: string): string | null; allowRemoteImages: boolean }): SanitizedHtml {
  let blockedImages = 0;
  const purify = DOMPurify();
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    if (node.tagName !== 'IMG') return;
    const src = node.getAttribute('src') ?? '';
    if (src.toLowerCase().startsWith('cid:')) {
      const url = options.cidUrl(src.slice(4).replace(/^<|>$/g, ''));
      if (url) node.setAttribute('src', url);
      else node.removeAttribute('src');
    } else if (/^https?:/i.test(src) && !options.allowRemoteImages) {
      blockedImages++;
      node.removeAttribute('src');
      node.setAttribute('data-blocked', 'true');
    } else if (!/^data:image\//i.test(src) && !/^https:/i.test(src)) {
      node.removeAttribute('src');
    }
    node.removeAttribute('srcset');
  });
  const clean = purify.sanitize(html, { FORBID_TAGS, FORBID_ATTR: ['style', 'background'], ALLOW_DATA_ATTR: false });
  return { html: clean, blockedImages };
}
