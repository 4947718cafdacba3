// File names of incoming attachments: read right whatever the sender's client wrote (made safe
// to store and show by main/files/file-names.ts).
import libmime from 'libmime';
import { shortenStoredName, storedName } from '../files/file-names';
import { decodeHeaderText } from './encoded-words';
import { decodeHeaderBytes, type DecodedText } from './header-text';

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
 * The media type a received file's name suggests, or null when its extension says nothing.
 * libmime's table, far wider than common/file-formats.ts: a sender may send any format at all.
 */
export function mediaTypeOfName(name: string): string | null {
  const type = libmime.detectMimeType(name);
  return type && type !== 'application/octet-stream' ? type : null;
}

/** `attachment-N.ext`, the extension taken from the media type ("bin" when it is unknown). */
export function fallbackName(index: number, mediaType: string): string {
  return `attachment-${index}.${libmime.detectExtension(mediaType)}`;
}

/** A file name for a forwarded message, from its subject: "Re: Invoice 5/2024.eml". */
export function nameFromSubject(subject: string): string {
  const base = subject.replace(/[/\\]/g, '-').replace(/\s+/g, ' ');
  const safe = storedName(base);
  return safe ? shortenStoredName(`${safe}.eml`) : '';
}
