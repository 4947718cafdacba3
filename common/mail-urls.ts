// What a URL found in a client's mail may become. The one place that decides it: the sanitizer
// (which links stay clickable, which images may load), the link confirmation, main's
// openExternal and main's fetch of consented remote images all ask these functions.

/** Schemes an operator may open from a mail after seeing the target: the web (http with a warning) and e-mail. */
export type LinkScheme = 'https' | 'http' | 'mailto';

export interface LinkTarget {
  /** The URL as the browser reads it (host in ASCII: an IDN shows as its punycode). */
  href: string;
  scheme: LinkScheme;
  /** The host name of a web link, in ASCII; null for mailto. */
  host: string | null;
}

/**
 * Only absolute links leave the app: a relative one would point into Postdesk itself, and every
 * other scheme (javascript:, data:, file:, postdesk-file:, custom handlers) is inert text.
 */
export function linkTarget(raw: string): LinkTarget | null {
  const value = raw.trim();
  if (!/^(?:https?|mailto):/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return { href: url.href, scheme: 'mailto', host: null };
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return null;
  return { href: url.href, scheme: url.protocol === 'https:' ? 'https' : 'http', host: url.hostname };
}

/**
 * The host a link's text names when the text itself looks like an address ("bank.example",
 * "https://bank.example/login"), in ASCII like LinkTarget.host; null when the text is no address.
 */
export function hostNamedBy(text: string): string | null {
  const value = text.trim();
  const candidate = /^https?:\/\//i.test(value) ? value : /^(?:www\.)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?:[/:?#]|$)/u.test(value) ? `https://${value}` : null;
  if (!candidate || /\s/.test(candidate)) return null;
  try {
    return new URL(candidate).hostname || null;
  } catch {
    return null;
  }
}

/** Raster image types a mail (or a document in the viewer) may carry inline as data: URLs (never SVG, which is a document). */
export const DATA_IMAGE_URL = /^data:image\/(?:png|jpe?g|gif|webp|bmp)[;,]/i;

export type ImageSource =
  | { kind: 'cid'; contentId: string }
  | { kind: 'data' }
  /** A remote image: loaded only after consent and only over https (`secure`). */
  | { kind: 'remote'; url: string; secure: boolean };

export function imageSource(raw: string): ImageSource | null {
  const value = raw.trim();
  if (/^cid:/i.test(value)) return { kind: 'cid', contentId: value.slice(4).replace(/^<|>$/g, '') };
  if (DATA_IMAGE_URL.test(value)) return { kind: 'data' };
  if (!/^https?:/i.test(value)) return null;
  try {
    const url = new URL(value);
    if (!url.hostname) return null;
    return { kind: 'remote', url: value, secure: url.protocol === 'https:' };
  } catch {
    return null;
  }
}

/**
 * The sanitizer's first cut of URL attributes (DOMPurify's ALLOWED_URI_REGEXP), before the two
 * functions above decide in detail: absolute web, mail, cid and data-image URLs only.
 */
export const MAIL_URI_PATTERN = /^(?:https?:|mailto:|cid:|data:image\/)/i;
