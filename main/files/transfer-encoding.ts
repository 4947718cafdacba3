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
//
// Over 300 lines: the three decoders share the line tracker and the strictness rules, and
// derived-blob.ts seeks by the layout they record; kept together so the rules cannot drift.
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
/** A base64 line longer than this is no line layout any mailer writes (RFC 2045 says 76). */
const MAX_LINE = 1000;

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

/**
 * Decoding base64 makes a string of the text first; one under 128 KB is a young object, freed
 * by the next minor collection, while a larger one waits for a full one (measured: a ZIP of
 * 30 MB of files grew RSS by 74 MB decoding 1 MB at a time, ~40 MB in 64 KB steps).
 */
const DECODE_STEP = 64 * 1024;

/** Decodes `chunk` a step at a time, the output in one buffer (downstream stages run once per chunk, not per step). */
export function decodeInSteps(decoder: Decoder, chunk: Buffer): Buffer {
  if (chunk.length <= DECODE_STEP) return decoder.push(chunk);
  const out: Buffer[] = [];
  for (let at = 0; at < chunk.length; at += DECODE_STEP) out.push(decoder.push(chunk.subarray(at, at + DECODE_STEP)));
  return Buffer.concat(out);
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
        emit(this, decodeInSteps(decoder, chunk));
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
  readonly lines = new LineBreaks();

  push(chunk: Buffer): Buffer {
    const breaks = this.lines.see(chunk) + countLineBreakBytes(this.carry);
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    // Cut before the trailing line breaks and the characters of a group still open.
    let at = bytes.length;
    while (at > 0 && (bytes[at - 1] === LF || bytes[at - 1] === CR)) at--;
    const open = (at - (breaks - countLineBreakBytes(bytes.subarray(at)))) % 4;
    for (let left = open; left > 0 && at > 0; ) {
      at--;
      if (bytes[at] !== LF && bytes[at] !== CR) left--;
    }
    this.carry = Buffer.from(bytes.subarray(at));
    return this.decode(bytes.subarray(0, at), breaks - countLineBreakBytes(this.carry));
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    if (rest.length - countLineBreakBytes(rest) !== 0) throw new NotStrict('the base64 text ends inside a 4-character group');
    return Buffer.alloc(0);
  }

  private decode(part: Buffer, lineBreakBytes: number): Buffer {
    if (part.length === 0) return part;
    if (part.includes(DASH) || part.includes(UNDERSCORE)) throw new NotStrict('the base64 text holds "-" or "_"');
    const characters = part.length - lineBreakBytes;
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

/**
 * The line breaks of a base64 body, chunk by chunk: how many bytes of each chunk are line breaks
 * (LF, and CR before LF), and the body's layout. While the lines are of one length, only the
 * places where breaks must be are looked at, not every byte: a line break anywhere else (or a
 * lone CR) is a character the decoder skips, so the decoded length falls short and the body is
 * refused all the same. Once the lines differ, every LF is sought.
 */
export class LineBreaks {
  /** Body bytes seen before the current chunk. */
  private position = 0;
  private previousByte = -1;
  /** Learnt from the first line; null until it ends. */
  private layout: LineLayout | null = null;
  /** Lines no longer all of one length: every LF is sought, and there is no layout. */
  private uneven = false;
  /** Walking mode: where the current line started. */
  private lineStart = 0;

  /** The line-break bytes of `chunk`. */
  see(chunk: Buffer): number {
    if (this.layout === null && !this.uneven) this.learn(chunk);
    const count = this.uneven ? this.walk(chunk) : this.atPlaces(chunk);
    if (chunk.length > 0) this.previousByte = chunk[chunk.length - 1]!;
    this.position += chunk.length;
    return count;
  }

  /** The layout once the whole body has been seen; null when its lines differ. */
  result(): LineLayout | null {
    if (this.uneven || this.layout === null) return null;
    // The last line may be shorter, never longer, than the others.
    const { chars, lineBreak } = this.layout;
    const lastLine = this.position % (chars + lineBreak);
    return lastLine <= chars ? this.layout : null;
  }

  /** The first line's length and ending, once it ends (a first line longer than any mailer writes means no layout). */
  private learn(chunk: Buffer): void {
    const lf = chunk.indexOf(LF);
    if (lf === -1) {
      if (this.position + chunk.length > MAX_LINE) this.uneven = true;
      return;
    }
    const lineBreak = (lf > 0 ? chunk[lf - 1] : this.previousByte) === CR ? 2 : 1;
    const chars = this.position + lf + 1 - lineBreak;
    if (chars === 0 || chars % 4 !== 0) this.uneven = true;
    else this.layout = { chars, lineBreak };
  }

  /**
   * Counts the breaks where the layout puts them, each with the chunk that holds its LF (as the
   * walk counts a CR that ended the chunk before); at the first that is not there, falls back
   * to seeking every LF.
   */
  private atPlaces(chunk: Buffer): number {
    if (this.layout === null) return 0; // still inside the first line: no break yet
    const { chars, lineBreak } = this.layout;
    const period = chars + lineBreak;
    const end = this.position + chunk.length;
    const byteAt = (at: number) => (at >= this.position ? chunk[at - this.position] : this.previousByte);
    let count = 0;
    let after = this.position;
    // Line k's LF is at k * period + period - 1.
    for (let lf = Math.floor(this.position / period) * period + period - 1; lf < end; lf += period) {
      if (lf < this.position) continue;
      if (byteAt(lf) !== LF || (lineBreak === 2 && byteAt(lf - 1) !== CR)) return this.fallBack(chunk);
      count += lineBreak;
      after = lf + 1;
    }
    // A break in the line still open (a short last line's, say) is no break of the layout: counted the long way.
    if (chunk.indexOf(LF, after - this.position) !== -1) return this.fallBack(chunk);
    return count;
  }

  private fallBack(chunk: Buffer): number {
    this.uneven = true;
    return this.walk(chunk);
  }

  /** Every LF, and the CR before it (also one that ended the chunk before). */
  private walk(chunk: Buffer): number {
    return countLineBreakBytes(chunk, this.previousByte);
  }
}

/**
 * The LFs and the CRs right before them (also a CR that was the byte before `bytes`), found
 * line by line with native search, not byte by byte.
 */
function countLineBreakBytes(bytes: Buffer, previousByte = -1): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count += (at > 0 ? bytes[at - 1] : previousByte) === CR ? 2 : 1;
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
  return decoder instanceof Base64Decoder ? decoder.lines.result() : null;
}
