// Header bytes that are neither ASCII nor valid UTF-8 come from clients that wrote raw 8-bit
// text in their own charset (old Outlook Express, The Bat!, many Russian-locale programs).
// mailparser passes such bytes on as U+FFFD or as one character per byte; these helpers turn
// them back into text using the charset the message declares.
import { TextDecoder } from 'node:util';
import libmime from 'libmime';

/** What raw bytes are read as when the message declares no legacy charset. */
export const FALLBACK_CHARSET = 'windows-1251';

export interface DecodedText {
  text: string;
  /** The legacy charset the bytes were read in; null for ASCII and UTF-8. */
  charset: string | null;
  /** True when no declared charset applied and FALLBACK_CHARSET was a guess. */
  guessed: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** UTF-8 with a cut or broken character read as U+FFFD rather than refused. */
export const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Bytes as UTF-8 when they are valid UTF-8 (or UTF-8 with one character cut short, see
 * cutUtf8), else in the first of `charsets` this runtime knows (declared ones first: the part's
 * own, then the message's), else in FALLBACK_CHARSET.
 */
export function decodeHeaderBytes(bytes: Uint8Array, charsets: readonly (string | undefined)[]): DecodedText {
  try {
    return { text: utf8.decode(bytes), charset: null, guessed: false };
  } catch {
    // not UTF-8 as it stands: cut UTF-8, or one of the legacy charsets below
  }
  if (isCutUtf8(bytes)) return { text: lenientUtf8.decode(bytes), charset: null, guessed: false };
  for (const declared of charsets) {
    const decoder = legacyDecoder(declared);
    if (decoder) return { text: decoder.decoder.decode(bytes), charset: decoder.name, guessed: false };
  }
  return { text: new TextDecoder(FALLBACK_CHARSET).decode(bytes), charset: FALLBACK_CHARSET, guessed: true };
}

/** A header value as mailsplit keeps it (one character per byte), decoded as decodeHeaderBytes does. */
export function decodeBinaryString(value: string, charsets: readonly (string | undefined)[]): DecodedText {
  if (!/[\u0080-\uffff]/.test(value)) return { text: value, charset: null, guessed: false };
  return decodeHeaderBytes(Buffer.from(value, 'latin1'), charsets);
}

function legacyDecoder(declared: string | undefined): { name: string; decoder: TextDecoder } | null {
  // A declared UTF-8 or ASCII did not hold for these bytes, so it says nothing about them.
  // (Checked before normalizing: libmime turns ASCII into windows-1252.)
  if (!declared || /^\s*(utf-?8|(us-?)?ascii|ansi_x3\.4-1968)\s*$/i.test(declared)) return null;
  const name = libmime.normalizeCharset(declared.trim()).toLowerCase();
  if (name === 'utf-8') return null;
  try {
    return { name, decoder: new TextDecoder(name) };
  } catch {
    return null; // a charset this runtime does not know
  }
}

/**
 * UTF-8 spoilt only by one character cut short: a lead byte followed by fewer continuation
 * bytes than it announces, as a client leaves it when it shortens a name to so many bytes.
 * At least one whole multi-byte character must be there too, so legacy 8-bit text (where
 * such patterns are common, but whole UTF-8 characters all but never appear) is not taken
 * for it. Decoded leniently, the cut character becomes one U+FFFD and the rest is read right.
 */
function isCutUtf8(bytes: Uint8Array): boolean {
  let whole = 0;
  let cut = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return false;
    let end = i + 1;
    while (end < i + length && end < bytes.length && bytes[end]! >= 0x80 && bytes[end]! <= 0xbf) end++;
    if (end === i + length) {
      try {
        utf8.decode(bytes.subarray(i, end));
      } catch {
        return false; // an overlong form or a surrogate: not a cut, just not UTF-8
      }
      whole++;
    } else {
      cut++;
    }
    i = end;
  }
  return cut === 1 && whole > 0;
}
