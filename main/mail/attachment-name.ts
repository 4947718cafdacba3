// File names of incoming attachments: read right whatever the sender's client wrote, and made
// safe to store and show. A name from outside must never carry a path, a control character,
// or a bidi override that makes "evil\u202Efdp.exe" look like "evilexe.pdf".
import libmime from 'libmime';
import { decodeHeaderText } from './encoded-words';
import { decodeHeaderBytes, type DecodedText } from './header-text';

const MAX_NAME_LENGTH = 200;
const MAX_EXTENSION_LENGTH = 16;
// C0 and C1 controls (NUL included), and the bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A file name as the message wrote it: a header parameter (one character per byte, or already
 * decoded by RFC 2231), or the raw bytes of a uuencode begin line.
 */
export type RawName = { header: string; decoded: boolean } | { bytes: Buffer };

/**
 * The text of a name: encoded words and raw 8-bit bytes decoded once, in the charset they are
 * written in (see decodeHeaderText). An RFC 2231 name was decoded already.
 */
export function readRawName(name: RawName, charsets: readonly (string | undefined)[]): DecodedText {
  if ('bytes' in name) return decodeHeaderBytes(name.bytes, charsets);
  if (name.decoded) return { text: name.header, charset: null, guessed: false };
  return decodeHeaderText(name.header, charsets);
}

/**
 * A name safe to store and show: no directory part (either separator, or a drive letter),
 * no control or bidi characters, no surrounding blanks, at most MAX_NAME_LENGTH characters.
 * '' when nothing usable is left.
 */
export function safeFileName(name: string): string {
  let safe = name.normalize('NFC').replace(UNSAFE_CHARS, '');
  safe = safe.slice(Math.max(safe.lastIndexOf('/'), safe.lastIndexOf('\\')) + 1);
  safe = safe.replace(/^[a-zA-Z]:/, '').trim();
  if (safe === '.' || safe === '..') return '';
  return shorten(safe);
}

/** `attachment-N.ext`, the extension taken from the media type ("bin" when it is unknown). */
export function fallbackName(index: number, mediaType: string): string {
  return `attachment-${index}.${libmime.detectExtension(mediaType)}`;
}

/** A file name for a forwarded message, from its subject: "Re: Invoice 5/2024.eml". */
export function nameFromSubject(subject: string): string {
  const base = subject.replace(/[/\\]/g, '-').replace(/\s+/g, ' ');
  const safe = safeFileName(base);
  return safe ? shorten(`${safe}.eml`) : '';
}

/** Cuts a long name in the middle of its stem, so the extension (what opens it) survives. */
function shorten(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  const keep = extension.length > 1 && extension.length <= MAX_EXTENSION_LENGTH ? extension : [];
  return chars.slice(0, MAX_NAME_LENGTH - keep.length).join('').trimEnd() + keep.join('');
}
