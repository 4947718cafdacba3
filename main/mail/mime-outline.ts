// A pass-through stream that sits in front of mailparser and notes what mailparser keeps to
// itself: the charsets the message declares (to read file names written in raw 8-bit bytes),
// whether each base64 part holds whole 4-character groups, and whether the MIME structure was
// closed before the message ended. mailparser decodes a cut-off attachment without a word;
// these notes are how we can tell the operator a file is incomplete.
//
// Parts are numbered the way mailsplit (mailparser's splitter) numbers them, so a note can be
// found by an attachment's `partId`. Like mailparser with `ignoreEmbedded`, a message/rfc822
// part is a leaf: the message inside it is not split.
import { Transform, type TransformCallback } from 'node:stream';
import libmime from 'libmime';

export interface PartIntegrity {
  /** The part's base64 characters modulo 4: anything but 0 means its last group is cut. */
  base64Leftover: number;
  /** The message ended inside this part, before the delimiter that should have closed it. */
  cutOff: boolean;
  /** Nothing stood between the part's header and its delimiter but the delimiter's own line ending. */
  emptyBody: boolean;
}

interface OutlineNode {
  parent: OutlineNode | null;
  partNr: number[];
  /** The delimiter value of a multipart node (without the leading "--"). */
  boundary: Buffer | null;
  children: number;
  base64: boolean;
  base64Chars: number;
  bodyLines: number;
  /** A body line held more than a line ending. */
  bodyText: boolean;
  /** A leaf: a delimiter ended it. A multipart: its closing delimiter was seen. */
  closed: boolean;
}

// Only the start of a line is kept: a delimiter line is short, and so is any header we read.
const LINE_KEEP = 4096;
// The headers we read come first in a part's header block; a block past this is not kept.
const HEADER_KEEP = 256 * 1024;
const DASH = 0x2d;

const BASE64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') {
  BASE64_CHAR[c.charCodeAt(0)] = 1;
}

export class MimeOutline extends Transform {
  private readonly nodes = new Map<string, OutlineNode>();
  private readonly charsets: string[] = [];
  private node: OutlineNode;
  private state: 'head' | 'body' = 'head';
  private inEpilogue = false;
  private headerText = '';
  private linePieces: Buffer[] = [];
  private lineKept = 0;
  private lineLength = 0;
  private lineBase64 = 0;
  private ended = false;
  private bytes = 0;

  constructor() {
    super();
    this.node = this.addNode(null, []);
  }

  /** Charsets declared by the Content-Type headers seen so far, in order, without repeats. */
  get declaredCharsets(): readonly string[] {
    return this.charsets;
  }

  /** How many bytes of the message have gone through. */
  get byteCount(): number {
    return this.bytes;
  }

  /** True once the message has ended while a multipart was still open (no closing delimiter). */
  get unclosedMultipart(): boolean {
    if (!this.ended) return false;
    for (const n of this.nodes.values()) if (n.boundary && !n.closed) return true;
    return false;
  }

  /** What is known of the part mailparser calls `partId` (null for the message itself). */
  integrityOf(partId: string | null): PartIntegrity {
    const n = this.nodes.get(partId ?? '');
    if (!n) return { base64Leftover: 0, cutOff: false, emptyBody: false };
    return {
      base64Leftover: n.base64 ? n.base64Chars % 4 : 0,
      cutOff: this.ended && n === this.node && n.parent !== null && !n.closed && !n.boundary,
      // The line ending before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
      emptyBody: n.closed && !n.boundary && (n.bodyLines === 0 || (n.bodyLines === 1 && !n.bodyText)),
    };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.takeSegment(chunk, start, end);
      if (newline !== -1) this.endLine();
      start = end;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.lineLength > 0) this.endLine();
    if (this.state === 'head') this.endHeaders();
    this.ended = true;
    done();
  }

  private addNode(parent: OutlineNode | null, partNr: number[]): OutlineNode {
    const node: OutlineNode = { parent, partNr, boundary: null, children: 0, base64: false, base64Chars: 0, bodyLines: 0, bodyText: false, closed: false };
    this.nodes.set(partNr.join('.'), node);
    return node;
  }

  private takeSegment(chunk: Buffer, start: number, end: number): void {
    this.lineLength += end - start;
    if (this.lineKept < LINE_KEEP) {
      const keep = Math.min(end, start + LINE_KEEP - this.lineKept);
      // A copy, so a kept line start does not pin the whole input chunk.
      this.linePieces.push(Buffer.from(chunk.subarray(start, keep)));
      this.lineKept += keep - start;
    }
    // Counted now rather than at the end of the line, because a base64 line can be longer
    // than what is kept of it; a delimiter line discards the count.
    if (this.state === 'body' && this.node.base64) {
      let n = 0;
      for (let i = start; i < end; i++) n += BASE64_CHAR[chunk[i]!]!;
      this.lineBase64 += n;
    }
  }

  private endLine(): void {
    const line = Buffer.concat(this.linePieces, this.lineKept);
    const whole = this.lineKept === this.lineLength;
    const delimiter = whole ? this.matchDelimiter(line) : null;
    if (delimiter) {
      this.onDelimiter(delimiter.owner, delimiter.closing);
    } else if (this.state === 'head') {
      this.onHeaderLine(line);
    } else {
      this.onBodyLine(line);
    }
    this.linePieces = [];
    this.lineKept = 0;
    this.lineLength = 0;
    this.lineBase64 = 0;
  }

  private onBodyLine(line: Buffer): void {
    const node = this.node;
    node.bodyLines += 1;
    if (this.lineLength > 2 || (line[0] !== 0x0d && line[0] !== 0x0a)) node.bodyText = true;
    if (node.base64) node.base64Chars += this.lineBase64;
  }

  /** The same rules as mailsplit: the node's own boundary first (outside its epilogue), then any open ancestor's. */
  private matchDelimiter(line: Buffer): { owner: OutlineNode; closing: boolean } | null {
    if (line.length < 3 || line[0] !== DASH || line[1] !== DASH) return null;
    if (!this.inEpilogue && this.node.boundary) {
      const closing = delimiterKind(line, this.node.boundary);
      if (closing !== null) return { owner: this.node, closing };
    }
    for (let owner = this.node.parent; owner; owner = owner.parent) {
      if (!owner.boundary) continue;
      const closing = delimiterKind(line, owner.boundary);
      if (closing !== null) return { owner, closing };
    }
    return null;
  }

  private onDelimiter(owner: OutlineNode, closing: boolean): void {
    if (owner === this.node) {
      // The multipart's own delimiter, seen in its preamble.
      if (closing) owner.closed = true;
      else this.openChild(owner);
      return;
    }
    // An ancestor's delimiter ends the current part. Multiparts between the two stay
    // unclosed: they never got their own closing delimiter.
    if (this.state === 'head') this.endHeaders();
    if (!this.node.boundary) this.node.closed = true;
    if (closing) {
      owner.closed = true;
      this.node = owner;
      this.inEpilogue = true;
      this.state = 'body';
    } else {
      this.openChild(owner);
    }
  }

  private openChild(parent: OutlineNode): void {
    parent.children += 1;
    this.node = this.addNode(parent, [...parent.partNr, parent.children]);
    this.state = 'head';
    this.inEpilogue = false;
    this.headerText = '';
  }

  private onHeaderLine(line: Buffer): void {
    const blank = line.length === 1 || (line.length === 2 && line[0] === 0x0d);
    if (blank) {
      this.endHeaders();
    } else if (this.headerText.length < HEADER_KEEP) {
      this.headerText += line.toString('latin1');
    }
  }

  private endHeaders(): void {
    const { contentType, transferEncoding } = readPartHeaders(this.headerText);
    this.headerText = '';
    this.state = 'body';
    const parsed = libmime.parseHeaderValue(contentType, { stripComments: true });
    const charset = parsed.params.charset?.trim();
    if (charset && !this.charsets.includes(charset)) this.charsets.push(charset);
    const boundary = (parsed.params.boundary ?? '').trimEnd();
    // mailsplit ignores a boundary that is not ASCII, as if it were missing.
    if (/^multipart\//i.test(parsed.value.trim()) && boundary && /^[\x20-\x7e]+$/.test(boundary)) {
      this.node.boundary = Buffer.from(boundary, 'latin1');
    } else {
      this.node.base64 = transferEncoding === 'base64';
    }
  }
}

/** `false` for `--b`, `true` for `--b--`, null when the line is not a delimiter of `boundary`. */
function delimiterKind(line: Buffer, boundary: Buffer): boolean | null {
  if (line.length < boundary.length + 2 || !line.subarray(2, 2 + boundary.length).equals(boundary)) return null;
  let i = boundary.length + 2;
  let closing = false;
  if (line[i] === DASH && line[i + 1] === DASH) {
    closing = true;
    i += 2;
  }
  // Trailing blanks are allowed (RFC 2046 5.1.1), then the line ending and nothing else.
  while (line[i] === 0x20 || line[i] === 0x09) i++;
  while (line[i] === 0x0d) i++;
  if (line[i] === 0x0a) i++;
  if (i !== line.length) return null;
  // Only the closing delimiter may end the input without a line ending (as in mailsplit).
  if (!closing && line[line.length - 1] !== 0x0a) return null;
  return closing;
}

function readPartHeaders(block: string): { contentType: string; transferEncoding: string } {
  let contentType = '';
  let transferEncoding = '';
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type' && !contentType) contentType = value;
    if (key === 'content-transfer-encoding' && !transferEncoding) {
      transferEncoding = value.replace(/\(.*\)/g, '').trim().toLowerCase();
    }
  }
  return { contentType, transferEncoding };
}
