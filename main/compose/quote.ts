// A reply quotes the client's last message, as mail programs do: a line saying who wrote it
// when, then their text — in the plain-text part each line after "> ", in the HTML part as a
// <blockquote type="cite">. The words of the attribution are the operator's language, read
// when the reply is queued, so a retry sends the very same text.
import { convert } from 'html-to-text';
import type { Translate } from '../../common/i18n';
import type { Lang } from '../../common/lang';

export interface Quote {
  /** "On 6 Dec 2026, 12:03, Иван Петров wrote:" */
  attribution: string;
  text: string;
}

/** Quoting a whole 1 MB newsletter helps nobody: the start is enough to say what is answered. */
const MAX_QUOTED = 20_000;

export function quoteOf(
  message: { fromName: string | null; fromAddress: string | null; createdAt: number; text: string | null; html: string | null } | undefined,
  t: Translate,
  lang: Lang,
): Quote | null {
  if (!message) return null;
  const text = (message.text?.trim() || (message.html ? htmlText(message.html) : '')).replace(/\r\n/g, '\n');
  if (!text) return null;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(message.createdAt));
  return {
    attribution: t('quote.attribution', { date, name: message.fromName || message.fromAddress || '' }),
    text: text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text,
  };
}

/** The text of an HTML-only mail: no images, no link targets, no layout. */
function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  }).trim();
}

/** The plain-text part: the reply, then the quote line by line after "> ". */
export function quotedText(text: string, quote: Quote): string {
  const quoted = quote.text.split('\n').map((line) => (line ? `> ${line}` : '>'));
  return `${text}\n\n${quote.attribution}\n${quoted.join('\n')}\n`;
}

/** The HTML part: the reply as written (line breaks kept), then the quote in a blockquote. */
export function quotedHtml(text: string, quote: Quote): string {
  const block = (s: string) => `<div style="white-space: pre-wrap">${escapeHtml(s)}</div>`;
  return (
    `<!doctype html><html><head><meta charset="utf-8"></head><body>${block(text)}` +
    `<p>${escapeHtml(quote.attribution)}</p>` +
    `<blockquote type="cite" style="margin: 0 0 0 0.8ex; border-left: 1px solid #ccc; padding-left: 1ex">${block(quote.text)}</blockquote>` +
    `</body></html>`
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The other way, for an answer read back from the Sent folder (another desk's, or one sent from
 * another mail program): a quote that ends the text — a line, then only "> " lines — is folded
 * away from it as this desk's own answers are.
 */
export function splitQuote(text: string): { text: string; quote: Quote | null } {
  const match = /\n\n([^\n]+)\n((?:>[^\n]*(?:\n|$))+)\s*$/.exec(text);
  if (!match) return { text, quote: null };
  const quoted = match[2]!.replace(/\n$/, '').split('\n').map((line) => line.replace(/^> ?/, ''));
  return { text: text.slice(0, match.index), quote: { attribution: match[1]!, text: quoted.join('\n') } };
}

/** The operator's text with the signature under it, after the usual "-- " line. */
export function withSignature(text: string, signature: string | null): string {
  if (!signature?.trim()) return text;
  return `${text.replace(/\s+$/, '')}\n\n-- \n${signature.trim()}`.replace(/^\n+/, '');
}
