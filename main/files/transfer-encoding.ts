// Content-transfer-encodings decoded natively, in their strict form only: the structure scanner
// decodes an attachment's body at ingest to hash it, and the blob store decodes the same byte
// range of the raw message whenever the attachment is read (derived-blob.ts), so both must be
// one function of the bytes. Strict is the subset on which Node's decoders and mailparser's own
// (libbase64, libqp) give the same bytes; anything else is refused (NotStrict) and such a
// message stays with the full parser, which stores what it decodes.
//
// Decoders take the body in chunks of any size and keep only a few bytes between them, so a
// 100 MB attachment is never held whole. The base64 one also learns the body's line layout: when
// every line but the last has the same length, a decoded offset maps to an encoded one, and a
// read from the middle of the file (a ZIP's central directory, an HTTP range) starts there.
import { Transform, type TransformCallback } from 'node:stream';

export type TransferEncoding = 'base64' | 'quoted-printable' | 'identity';

/** The body is not strictly encoded: decoders disagree on it, so it is not decoded here. */
export class NotStrict extends Error {}

/** Lines of base64 of one length (but the last): where decoded bytes sit in the encoded body. */
export interface LineLayout {
  /** Characters of every full line. */
  chars: number;
  /** The bytes of its line ending: 2 for CRLF, 1 for LF. */
  lineBreak: 1 | 2;
}

export interface Decoder {
  push(chunk: Buffer): Buffer;
  /** The rest; throws NotStrict when the body ends where it may not. */
  end(): Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const EQUALS = 0x3d;
const UNDERSCORE = 0x5f;

export function decoderFor(encoding: TransferEncoding): Decoder {
  switch (encoding) {
    case 'base64':
      return new Base64Decoder();
    case 'quoted-printable':
      return new QuotedPrintableDecoder();
    case 'identity':
      return new IdentityChecker();
  }
}

/** A whole body in memory, decoded; null when it is not strictly encoded. */
export function decodeBody(body: Buffer, encoding: TransferEncoding): Buffer | null {
  try {
    const decoder = decoderFor(encoding);
    const head = decoder.push(body);
    const tail = decoder.end();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch (error) {
    if (error instanceof NotStrict) return null;
    throw error;
  }
}

/** A stream stage that decodes, failing with NotStrict where the body is not strict. */
export function decodingStream(encoding: TransferEncoding, skip = 0, limit = Infinity): Transform {
  const decoder = decoderFor(encoding);
  let toSkip = skip;
  let left = limit;
  const emit = (stage: Transform, bytes: Buffer) => {
    let out = bytes;
    if (toSkip > 0) {
      const skipped = Math.min(toSkip, out.length);
      out = out.subarray(skipped);
      toSkip -= skipped;
    }
    if (out.length > left) out = out.subarray(0, left);
    left -= out.length;
    if (out.length > 0) stage.push(out);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        emit(this, decoder.push(chunk));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        emit(this, decoder.end());
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * Where, in a base64 body laid out in lines of one length, the group holding decoded byte
 * `offset` starts; and how many decoded bytes of that group come before `offset`.
 */
export function base64Position(layout: LineLayout, offset: number): { encoded: number; skip: number } {
  const group = Math.floor(offset / 3);
  const char = group * 4;
  const encoded = Math.floor(char / layout.chars) * (layout.chars + layout.lineBreak) + (char % layout.chars);
  return { encoded, skip: offset - group * 3 };
}

/**
 * Base64 with only line breaks (CRLF or LF) between the characters, padding only at the end and
 * whole 4-character groups. On such input Buffer.from and libbase64 (which strips other
 * characters, then calls Buffer.from) give the same bytes.
 *
 * Validity is checked by length instead of a regular expression over the body, several times
 * faster: Buffer.from skips every character outside the alphabet and stops at the first "=", so
 * any stray character, inner "=" or lone CR makes the decoded length fall short of what the
 * count of characters promises. The base64url characters "-" and "_" are the exception
 * (Buffer.from decodes them, libbase64 drops them) and are looked for explicitly.
 */
class Base64Decoder implements Decoder {
  /** Bytes not decoded yet: the last characters of an incomplete group, and line breaks after them. */
  private carry: Buffer = Buffer.alloc(0);
  private padded = false;
  readonly layout = new LayoutTracker();

  push(chunk: Buffer): Buffer {
    this.layout.see(chunk);
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = groupEnd(bytes);
    this.carry = Buffer.from(bytes.subarray(cut));
    return this.decode(bytes.subarray(0, cut));
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    if (rest.length - countLineBreakBytes(rest) !== 0) throw new NotStrict('the base64 text ends inside a 4-character group');
    return Buffer.alloc(0);
  }

  private decode(part: Buffer): Buffer {
    if (part.length === 0) return part;
    if (part.includes(DASH) || part.includes(UNDERSCORE)) throw new NotStrict('the base64 text holds "-" or "_"');
    const characters = part.length - countLineBreakBytes(part);
    if (characters === 0) return Buffer.alloc(0);
    if (this.padded) throw new NotStrict('the base64 text goes on after its padding');
    const padding = trailingPadding(part);
    if (characters % 4 !== 0 || padding > 2) throw new NotStrict('the base64 text is not in whole 4-character groups');
    const decoded = Buffer.from(part.toString('latin1'), 'base64');
    if (decoded.length !== (characters / 4) * 3 - padding) throw new NotStrict('the base64 text holds characters outside its alphabet');
    this.padded = padding > 0;
    return decoded;
  }
}

/** The line layout of a base64 body, learnt chunk by chunk: uniform while every full line has one length and one ending. */
export class LayoutTracker {
  private position = 0;
  private lineStart = 0;
  private previousByte = -1;
  private lines = 0;
  private chars = 0;
  private lineBreak: 1 | 2 = 2;
  private shortLine = false;
  private uniform = true;

  see(chunk: Buffer): void {
    if (!this.uniform) return;
    for (let at = chunk.indexOf(LF); at !== -1 && this.uniform; at = chunk.indexOf(LF, at + 1)) {
      const before = at > 0 ? chunk[at - 1] : this.previousByte;
      const lineBreak = before === CR ? 2 : 1;
      this.line(this.position + at + 1 - lineBreak - this.lineStart, lineBreak);
      this.lineStart = this.position + at + 1;
    }
    this.position += chunk.length;
    if (chunk.length > 0) this.previousByte = chunk[chunk.length - 1]!;
  }

  /** The layout once the whole body has been seen; null when its lines differ. */
  result(): LineLayout | null {
    // What follows the last line break: the last line, which may be shorter.
    if (this.position > this.lineStart) this.line(this.position - this.lineStart, this.lineBreak, true);
    return this.uniform && this.lines > 0 && this.chars > 0 && this.chars % 4 === 0 ? { chars: this.chars, lineBreak: this.lineBreak } : null;
  }

  private line(chars: number, lineBreak: 1 | 2, last = false): void {
    if (this.shortLine && chars > 0) this.uniform = false;
    if (this.lines === 0 && !last) {
      this.chars = chars;
      this.lineBreak = lineBreak;
    } else if (chars > this.chars || (!last && lineBreak !== this.lineBreak)) {
      this.uniform = false;
    } else if (chars < this.chars) {
      this.shortLine = true;
    }
    if (!last) this.lines++;
  }
}

/**
 * Where the bytes can be cut so that what comes before holds whole 4-character groups: before
 * the trailing line breaks and the characters of a group still open.
 */
function groupEnd(bytes: Buffer): number {
  let at = bytes.length;
  while (at > 0 && (bytes[at - 1] === LF || bytes[at - 1] === CR)) at--;
  const open = (at - countLineBreakBytes(bytes.subarray(0, at))) % 4;
  for (let left = open; left > 0 && at > 0; ) {
    at--;
    if (bytes[at] !== LF && bytes[at] !== CR) left--;
  }
  return at;
}

/** The LFs and the CRs right before them, found line by line with native search, not byte by byte. */
function countLineBreakBytes(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count += at > 0 && bytes[at - 1] === CR ? 2 : 1;
  return count;
}

/** How many "=" end the bytes, line breaks after them left aside. */
function trailingPadding(bytes: Buffer): number {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === LF || bytes[end - 1] === CR)) end--;
  let padding = 0;
  while (padding < end && bytes[end - 1 - padding] === EQUALS) padding++;
  return padding;
}

// Anything outside strict quoted-printable: 8-bit or control bytes, a lone CR, blanks at the end
// of a line (which decoders strip), and "=" that starts neither an escape nor a soft line break.
const NOT_STRICT_QP = /[^\t\r\n\x20-\x7e]|\r(?!\n)|[ \t](?=\r?\n|$)|=(?![0-9A-Fa-f]{2}|\r?\n|$)/;
const SOFT_LINE_BREAK = /=(?:\r?\n|$)/g;
const HEX_VALUE = new Map([...'0123456789abcdefABCDEF'].map((c) => [c.charCodeAt(0), parseInt(c, 16)]));

/**
 * Strict quoted-printable. libqp (mailparser's decoder) first strips blanks at line ends, which
 * strict input has none of, then removes soft line breaks exactly as here and turns every "=XX"
 * into its byte; after that step every "=" left starts an escape. Whole lines are decoded at a
 * time, so an escape or a soft line break is never cut between chunks.
 */
class QuotedPrintableDecoder implements Decoder {
  private carry = '';

  push(chunk: Buffer): Buffer {
    const text = this.carry + chunk.toString('latin1');
    const cut = text.lastIndexOf('\n') + 1;
    this.carry = text.slice(cut);
    return decodeQuotedPrintable(text.slice(0, cut));
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    return decodeQuotedPrintable(rest);
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  if (NOT_STRICT_QP.test(text)) throw new NotStrict('the quoted-printable text is not strict');
  const joined = text.replace(SOFT_LINE_BREAK, '');
  const out = Buffer.alloc(joined.length);
  let length = 0;
  let from = 0;
  for (let at = joined.indexOf('='); at !== -1; at = joined.indexOf('=', from)) {
    length += out.write(joined.slice(from, at), length, 'latin1');
    out[length++] = HEX_VALUE.get(joined.charCodeAt(at + 1))! * 16 + HEX_VALUE.get(joined.charCodeAt(at + 2))!;
    from = at + 3;
  }
  length += out.write(joined.slice(from), length, 'latin1');
  return out.subarray(0, length);
}

/** 7bit, 8bit and binary pass as they are, but a CR without its LF, which readers split lines on differently. */
class IdentityChecker implements Decoder {
  private endsInCr = false;

  push(chunk: Buffer): Buffer {
    if (chunk.length === 0) return chunk;
    if (this.endsInCr && chunk[0] !== LF) throw new NotStrict('a CR stands without its LF');
    for (let at = chunk.indexOf(CR); at !== -1; at = chunk.indexOf(CR, at + 1)) {
      if (at + 1 < chunk.length && chunk[at + 1] !== LF) throw new NotStrict('a CR stands without its LF');
    }
    this.endsInCr = chunk[chunk.length - 1] === CR;
    return chunk;
  }

  end(): Buffer {
    if (this.endsInCr) throw new NotStrict('a CR stands without its LF');
    return Buffer.alloc(0);
  }
}

/** The base64 decoder's line layout, for a caller that decoded with decoderFor('base64'). */
export function layoutOf(decoder: Decoder): LineLayout | null {
  return decoder instanceof Base64Decoder ? decoder.layout.result() : null;
}
