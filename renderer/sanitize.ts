// HTML mail goes through DOMPurify with allow-lists of its own: text, tables and pictures stay;
// scripts, forms, frames, objects, media, SVG, MathML, <link>, <meta>, <base> and every
// URL-bearing attribute but <a href> and <img src> go. Those two are then decided by
// common/mail-urls.ts: links keep their target only as data (no href, so nothing can navigate,
// prefetch or open by middle click); images load only from our own routes — cid: attachments,
// inline data:, and, after Show images, https images that main fetches for the page. Styles stay,
// cut down by mail-css.ts, and the mail's class and id names are moved to mail-….
import DOMPurify from 'dompurify';
import { imageSource, linkTarget, MAIL_URI_PATTERN } from '../common/mail-urls';
import { cleanInlineStyle, mailStyleSheet } from './mail-css';

export interface SanitizedMail {
  /** The message's markup; it names no URL but our own routes and data: images. */
  html: string;
  /**
   * The declarations of the mail's style attributes, by the number in each element's
   * data-postdesk-style: the CSP forbids style attributes, so they are applied through CSSOM.
   */
  inlineStyles: string[];
  /** The mail's <style> elements as one sheet (see mail-css.ts). */
  css: string;
  /** The https images waiting for Show images (main fetches exactly these once allowed). */
  blockedImages: string[];
  /** http images, never shown: an unencrypted image can be read or replaced on the way. */
  insecureImages: number;
}

export interface SanitizeOptions {
  /** Our route for an inline image attached to the message, null when there is none. */
  cidUrl(contentId: string): string | null;
  /** After Show images: our route that loads a remote https image (main fetches it). Null before. */
  remoteImageUrl: ((url: string) => string) | null;
}

/** Where a link's target is kept; the page's click handler reads it (MailContent). */
export const LINK_ATTR = 'data-postdesk-link';
export const STYLE_ATTR = 'data-postdesk-style';
export const BLOCKED_ATTR = 'data-postdesk-blocked';

const ALLOWED_TAGS = [
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i',
  'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp',
  'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

/** Attributes that carry no URL: kept as they are (DOMPurify checks only the others against the URI pattern). */
const PLAIN_ATTRS = [
  'abbr', 'align', 'alt', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'class', 'clear', 'color', 'cols',
  'colspan', 'datetime', 'dir', 'face', 'headers', 'height', 'hspace', 'id', 'lang', 'noshade', 'nowrap', 'open',
  'reversed', 'rowspan', 'scope', 'size', 'span', 'start', 'style', 'summary', 'title', 'type', 'valign', 'value',
  'vspace', 'width',
];

/** Removed with everything inside them: their content is no message text (option lists, fallbacks of plug-ins). */
const DROPPED_WITH_CONTENT = ['object', 'applet', 'select', 'datalist', 'option', 'optgroup', 'textarea', 'map', 'frameset', 'noframes'];

const prefixed = (name: string) => `mail-${name}`;

export function sanitizeMail(html: string, options: SanitizeOptions): SanitizedMail {
  const blockedImages: string[] = [];
  let insecureImages = 0;
  const styleTexts: string[] = [];
  const inlineStyles: string[] = [];
  const purify = DOMPurify();

  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style') styleTexts.push(node.textContent ?? '');
  });
  // Before DOMPurify's own checks, so its clobbering check sees the names the page will get.
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName === 'class') data.attrValue = data.attrValue.split(/\s+/).filter(Boolean).map(prefixed).join(' ');
    else if (data.attrName === 'id' && data.attrValue) data.attrValue = prefixed(data.attrValue);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    const style = node.getAttribute('style');
    node.removeAttribute('style');
    const kept = style ? cleanInlineStyle(style) : '';
    if (kept) node.setAttribute(STYLE_ATTR, String(inlineStyles.push(kept) - 1));

    const href = node.getAttribute('href');
    node.removeAttribute('href');
    const target = node.tagName === 'A' && href !== null ? linkTarget(href) : null;
    if (target) {
      node.setAttribute(LINK_ATTR, target.href);
      node.setAttribute('role', 'link');
      node.setAttribute('tabindex', '0');
    }

    const src = node.getAttribute('src');
    node.removeAttribute('src');
    const source = node.tagName === 'IMG' && src !== null ? imageSource(src) : null;
    if (source?.kind === 'cid') {
      const url = options.cidUrl(source.contentId);
      if (url) node.setAttribute('src', url);
    } else if (source?.kind === 'data') {
      node.setAttribute('src', src!);
    } else if (source?.kind === 'remote' && !source.secure) {
      insecureImages++;
      node.setAttribute(BLOCKED_ATTR, 'http');
    } else if (source?.kind === 'remote' && options.remoteImageUrl) {
      node.setAttribute('src', options.remoteImageUrl(source.url));
    } else if (source?.kind === 'remote') {
      blockedImages.push(source.url);
      node.setAttribute(BLOCKED_ATTR, 'consent');
    }
  });

  const clean = purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'src', ...PLAIN_ATTRS],
    ADD_URI_SAFE_ATTR: PLAIN_ATTRS,
    ALLOWED_URI_REGEXP: MAIL_URI_PATTERN,
    ADD_FORBID_CONTENTS: DROPPED_WITH_CONTENT,
    ALLOW_DATA_ATTR: false,
    // role and aria-* from a mail could pose as Postdesk's own controls.
    ALLOW_ARIA_ATTR: false,
    // A <style> before the first text (or in a full document's <head>) stays in reach of the hooks.
    FORCE_BODY: true,
  });
  return { html: clean, inlineStyles, css: mailStyleSheet(styleTexts), blockedImages, insecureImages };
}
