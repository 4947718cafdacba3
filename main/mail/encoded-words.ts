// Header text with RFC 2047 encoded words ("=?charset?B|Q?text?="), read from the raw header
// value with one character per byte, as mailsplit keeps a header that is not UTF-8.
//
// libmime's decodeWords takes an already decoded string and turns the encoded text back into
// bytes as UTF-8, so a raw 8-bit byte inside an encoded word (=?windows-1251?Q?<raw bytes>?=,
// which some clients write) was decoded twice into mojibake; and it does not know UTF-7. Here
// every byte is decoded exactly once: inside a word in the word's charset, outside words as
// decodeHeaderBytes reads raw 8-bit text.
import libmime from 'libmime';
import { decodeBinaryString, lenientUtf8, type DecodedText } from './header-text';
import { decodeUtf7, isUtf7 } from './utf7';

// The encoded text may hold blanks and raw bytes here (both against the RFC, both seen).
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?]*)\?=/g;
const BASE64_RUN = /[A-Za-z0-9+/]+=*/g;

interface Word {
  charset: string;
  bytes: Buffer;
}

/** The text of a header value given one character per byte; see the file comment. */
export function decodeHeaderText(value: string, charsets: readonly (string | undefined)[]): DecodedText {
  const pieces: string[] = [];
  let legacy: DecodedText | null = null;
  let run: Word | null = null;
  let last = 0;
  const flush = (): void => {
    if (run) pieces.push(decodeCharset(run.bytes, run.charset));
    run = null;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, match.index);
    // Blanks between two encoded words are folding, not text (RFC 2047 6.2).
    if (!(run && /^\s*$/.test(between))) {
      flush();
      if (between) legacy = plain(between, charsets, pieces, legacy);
    }
    const charset = match[1]!.replace(/\*.*$/, ''); // an RFC 2231 language tag is ignored
    const bytes = match[2]!.toUpperCase() === 'B' ? fromBase64(match[3]!) : fromQ(match[3]!);
    // Words in one charset are joined as bytes first: a client may split a character between them.
    if (run && sameCharset(run.charset, charset)) run.bytes = Buffer.concat([run.bytes, bytes]);
    else {
      flush();
      run = { charset, bytes };
    }
    last = match.index + match[0].length;
  }
  flush();
  if (last < value.length) legacy = plain(value.slice(last), charsets, pieces, legacy);
  return { text: pieces.join(''), charset: legacy?.charset ?? null, guessed: legacy?.guessed ?? false };
}

/** Text outside encoded words; returns what it says about raw 8-bit bytes, if it has some. */
function plain(text: string, charsets: readonly (string | undefined)[], pieces: string[], legacy: DecodedText | null): DecodedText | null {
  const decoded = decodeBinaryString(text, charsets);
  pieces.push(decoded.text);
  return decoded.charset ? decoded : legacy;
}

/** Bytes in a charset: UTF-7 here, UTF-8 leniently (a cut character becomes U+FFFD), the rest as libmime does. */
export function decodeCharset(bytes: Buffer, charset: string): string {
  if (isUtf7(charset)) return decodeUtf7(bytes);
  if (/^utf-?8$/i.test(charset)) return lenientUtf8.decode(bytes);
  try {
    // decodeWord is libmime's public way to decode bytes in a charset (iconv-lite's list, aliases).
    return libmime.decodeWord(charset, 'B', bytes.toString('base64'));
  } catch {
    return lenientUtf8.decode(bytes); // what libmime does with a charset it does not know
  }
}

function sameCharset(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || libmime.normalizeCharset(a) === libmime.normalizeCharset(b);
}

/** Each padded run on its own: some clients put several base64 groups with padding in one word. */
function fromBase64(text: string): Buffer {
  return Buffer.concat([...text.matchAll(BASE64_RUN)].map((m) => Buffer.from(m[0], 'base64')));
}

/** "_" is a space, "=XX" a byte, anything else (raw 8-bit bytes included) the byte it is. */
function fromQ(text: string): Buffer {
  const bytes: number[] = [];
  // Blanks after "=" are a line split some clients apply inside a word (libmime allows it too).
  const joined = text.replace(/=\s+(?=[0-9A-Fa-f])/g, '=');
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    const hex = c === 0x3d ? /^[0-9A-Fa-f]{2}/.exec(joined.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(c === 0x5f || c === 0x09 ? 0x20 : c & 0xff);
    }
  }
  return Buffer.from(bytes);
}
