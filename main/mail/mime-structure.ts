// The MIME structure scanner: finds, with native search for the delimiters, where every leaf
// part's body lies in the raw message and how it is encoded, for a message that is plainly
// well-formed. Ingest stores those byte ranges instead of a second, decoded copy of each file
// (parse-fast.ts), and the blob store decodes a range when the file is read.
//
// Plain means: every part's header is UTF-8 fields and nothing else, multiparts are mixed,
// alternative or related with a well-formed boundary, every line that starts like a delimiter is
// one, each multipart is closed, and nothing is nested deeper or counted more than real mail
// needs. Anything else is null, and the message goes to the full parser (mime-outline.ts and
// mailparser), which reads what it can of any message.
import { TextDecoder } from 'node:util';
import libmime from 'libmime';
import type { TransferEncoding } from '../files/transfer-encoding';
import type { MessageBytes } from './message-bytes';

/** A part that is not a multipart: where its encoded body lies, and what mailparser makes of it. */
export interface Leaf {
  start: number;
  end: number;
  encoding: TransferEncoding;
  /** mailparser hands it over as an attachment rather than reading it as text. */
  attachment: boolean;
}

/** The leaves of the message in order, or null if anything about its structure is not plain. */
export async function scanStructure(bytes: MessageBytes): Promise<Leaf[] | null> {
  const scanner = new StructureScanner(bytes);
  return (await scanner.readPart(0, bytes.length, bytes.length, 0, [])) ? scanner.leaves : null;
}

// Limits on what counts as plain: real mail stays far below them.
const MAX_PARTS = 200;
const MAX_MULTIPART_DEPTH = 4;
/** A part's header block longer than this is not plain (and is not read into memory). */
const MAX_HEAD_BYTES = 256 * 1024;
const MULTIPART_SUBTYPES = new Set(['mixed', 'alternative', 'related']);
// The only types mailparser may take as the message text (message/* is refused outright).
const TEXT_TYPES = new Set(['text/plain', 'text/html']);
// A header line is "Name: value" (RFC 5322 field name: printable ASCII but the colon).
const FIELD_LINE = /^[\x21-\x39\x3b-\x7e]+:/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
// RFC 2046 5.1.1: 1 to 70 of these characters, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
/**
 * A CR without its LF is a line break to some readers and not to others; mailsplit even takes
 * a line "\r--boundary" for a delimiter, where this reader sees none.
 */
export const LONE_CR = /\r(?!\n)/;
// Encoded words in UTF-7, or with raw 8-bit bytes inside: read by our own decoder, not plainly.
const UNUSUAL_WORD = /=\?[^?\s]*utf-?7|=\?[^?\s]+\?[bq]\?[^?]*[\u0080-\uffff]/i;
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const CRLF_BLANK = Buffer.from('\n\r\n');
const LF_BLANK = Buffer.from('\n\n');

const ENCODINGS = new Map<string, TransferEncoding>([
  ['', 'identity'],
  ['7bit', 'identity'],
  ['8bit', 'identity'],
  ['binary', 'identity'],
  ['quoted-printable', 'quoted-printable'],
  ['base64', 'base64'],
]);

type PartKind = { kind: 'multipart'; boundary: Buffer } | { kind: 'leaf'; encoding: TransferEncoding; attachment: boolean };

interface DelimiterLine {
  start: number;
  /** Where the line after it starts. */
  next: number;
  closing: boolean;
}

class StructureScanner {
  readonly leaves: Leaf[] = [];
  private parts = 0;

  constructor(private readonly bytes: MessageBytes) {}

  /**
   * Reads the part in [start, limit) whose body content ends at `bodyEnd`: for a part inside a
   * multipart, the line ending before the next delimiter belongs to the delimiter (RFC 2046),
   * while the message's own body runs to its last byte.
   */
  async readPart(start: number, limit: number, bodyEnd: number, depth: number, boundaries: readonly Buffer[]): Promise<boolean> {
    if (++this.parts > MAX_PARTS) return false;
    const head = await this.readHead(start, limit);
    const kind = head && describePart(head.fields);
    if (!head || !kind) return false;
    if (kind.kind === 'multipart') return this.readMultipart(head.bodyStart, limit, kind.boundary, depth, boundaries);
    this.leaves.push({ start: head.bodyStart, end: Math.max(head.bodyStart, bodyEnd), encoding: kind.encoding, attachment: kind.attachment });
    return true;
  }

  private async readMultipart(bodyStart: number, limit: number, boundary: Buffer, depth: number, boundaries: readonly Buffer[]): Promise<boolean> {
    // A boundary that starts another open one could make one line a delimiter of both.
    if (depth >= MAX_MULTIPART_DEPTH || boundaries.some((b) => startsWith(b, boundary) || startsWith(boundary, b))) return false;
    const lines = await this.findDelimiters(bodyStart, limit, boundary);
    if (!lines) return false;
    const inner = [...boundaries, boundary];
    for (let i = 0; i + 1 < lines.length; i++) {
      const next = lines[i + 1]!.start;
      const lineEnding = (await this.bytes.slice(next - 2, next - 1))[0] === CR ? 2 : 1;
      if (!(await this.readPart(lines[i]!.next, next, next - lineEnding, depth + 1, inner))) return false;
    }
    return true;
  }

  /**
   * The header fields of the part starting at `start` and where its body starts. null when the
   * header block does not end before `limit`, is empty, is not UTF-8 (raw legacy-charset bytes
   * are read by guesswork that depends on the rest of the message), or holds anything but fields.
   */
  private async readHead(start: number, limit: number): Promise<{ fields: Map<string, string[]>; bodyStart: number } | null> {
    const first = await this.bytes.slice(start, Math.min(limit, start + 2));
    if (first[0] === LF || (first[0] === CR && first[1] === LF)) return null;
    const searchEnd = Math.min(limit, start + MAX_HEAD_BYTES);
    // The LF-only search stops where the CRLF one succeeded, so a body is not scanned for nothing.
    const crlf = await this.bytes.indexOf(CRLF_BLANK, start, searchEnd);
    const lf = await this.bytes.indexOf(LF_BLANK, start, crlf === -1 ? searchEnd : crlf);
    if (crlf === -1 && lf === -1) return null;
    const blank = lf !== -1 ? { at: lf, length: 2 } : { at: crlf, length: 3 };
    let text: string;
    try {
      text = utf8.decode(await this.bytes.slice(start, blank.at + 1));
    } catch {
      return null;
    }
    const fields = readFields(text.replace(/\r?\n$/, ''));
    return fields && { fields, bodyStart: blank.at + blank.length };
  }

  /**
   * The delimiter lines of `boundary` in the multipart body [bodyStart, limit), the closing one
   * last. null unless every line that starts like one is exactly one (no trailing blanks, no
   * suffix), there is a part, and the closing delimiter comes once, after all others.
   */
  private async findDelimiters(bodyStart: number, limit: number, boundary: Buffer): Promise<DelimiterLine[] | null> {
    // Delimiters start a line, so the search includes the line ending before the body's first line.
    const needle = Buffer.concat([Buffer.from('\n--'), boundary]);
    const lines: DelimiterLine[] = [];
    for (let at = await this.bytes.indexOf(needle, bodyStart - 1, limit); at !== -1; at = await this.bytes.indexOf(needle, at + 1, limit)) {
      const line = await this.delimiterAt(at + 1, boundary.length, limit);
      if (!line || lines.at(-1)?.closing) return null;
      lines.push(line);
    }
    return lines.length >= 2 && lines.at(-1)!.closing ? lines : null;
  }

  /** The delimiter line at `start` ("--" boundary ["--"] line ending), or null when it is anything else. */
  private async delimiterAt(start: number, boundaryLength: number, limit: number): Promise<DelimiterLine | null> {
    const after = start + 2 + boundaryLength;
    // The few bytes that can follow the boundary: "--", CR, LF.
    const tail = await this.bytes.slice(after, Math.min(limit, after + 4));
    let at = 0;
    const closing = tail[at] === DASH && tail[at + 1] === DASH;
    if (closing) at += 2;
    // Only the closing delimiter may end the message without a line ending, as in mailsplit.
    if (closing && limit === this.bytes.length && after + at === limit) return { start, next: limit, closing };
    if (tail[at] === CR) at += 1;
    return tail[at] === LF ? { start, next: after + at + 1, closing } : null;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header fields by lowercase name, values unfolded as mailsplit reads them; null for anything odd. */
function readFields(text: string): Map<string, string[]> | null {
  if (LONE_CR.test(text) || UNUSUAL_WORD.test(text)) return null;
  const fields = new Map<string, string[]>();
  for (const line of unfold(text.split(/\r?\n/))) {
    if (line === null || !FIELD_LINE.test(line)) return null;
    const { key, value } = libmime.decodeHeader(line);
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  return fields;
}

/** Joins continuation lines to their field; null stands for a continuation with no field before it. */
function unfold(lines: string[]): (string | null)[] {
  const fields: (string | null)[] = [];
  for (const line of lines) {
    if (!/^[ \t]/.test(line)) fields.push(line);
    else if (fields.length === 0) fields.push(null);
    else fields[fields.length - 1] += `\r\n${line}`;
  }
  return fields;
}

/** What the part is, from its MIME fields, or null when they are missing, repeated or unusual. */
function describePart(fields: Map<string, string[]>): PartKind | null {
  const [type, encodingField, disposition] = ['content-type', 'content-transfer-encoding', 'content-disposition'].map((k) => fields.get(k));
  if ((type?.length ?? 0) > 1 || (encodingField?.length ?? 0) > 1 || (disposition?.length ?? 0) > 1) return null;
  // mailsplit guesses a missing type from the file name; only a plain text part may leave it out.
  if (!type && disposition) return null;
  const contentType = libmime.parseHeaderValue(type?.[0] ?? 'text/plain', { stripComments: true });
  const mediaType = contentType.value.trim().toLowerCase();
  const encoding = ENCODINGS.get((encodingField?.[0] ?? '').trim().toLowerCase());
  if (!MEDIA_TYPE.test(mediaType) || !encoding || mediaType.startsWith('message/')) return null;

  const placement = disposition ? libmime.parseHeaderValue(disposition[0]!, { stripComments: true }) : null;
  const dispositionType = placement?.value.trim().toLowerCase() ?? '';
  if (placement && dispositionType !== 'inline' && dispositionType !== 'attachment') return null;

  if (mediaType.startsWith('multipart/')) {
    const boundary = contentType.params.boundary ?? '';
    // mailparser ignores the disposition of a multipart; mutt marks its multipart/mixed inline.
    const plain = dispositionType !== 'attachment' && encoding === 'identity' && BOUNDARY.test(boundary);
    return plain && MULTIPART_SUBTYPES.has(mediaType.slice('multipart/'.length)) ? { kind: 'multipart', boundary: Buffer.from(boundary, 'latin1') } : null;
  }
  // The same rule as mailparser: a text type read as the message text unless it is an attachment.
  const attachment = !TEXT_TYPES.has(mediaType) || dispositionType === 'attachment';
  if (!attachment && !isPlainBodyText(contentType.params, placement?.params ?? {})) return null;
  return { kind: 'leaf', encoding, attachment };
}

/**
 * A body text mailparser reads without special cases: no format=flowed, no file name (an
 * inline text with a name is shown as text and not listed as a file), a charset known here.
 */
function isPlainBodyText(typeParams: Record<string, string>, dispositionParams: Record<string, string>): boolean {
  if (typeParams.name !== undefined || dispositionParams.filename !== undefined) return false;
  if ((typeParams.format ?? '').trim().toLowerCase() === 'flowed') return false;
  if (typeParams.charset === undefined) return true;
  try {
    new TextDecoder(typeParams.charset.trim());
    return true;
  } catch {
    return false;
  }
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}
