// Over 300 lines on purpose: one line-by-line state machine (boundaries, part headers, the
// repairs below, the limits) whose states only make sense together; split, each half would
// have to know the other's states.
//
// The stream mailparser reads, and what mailparser keeps to itself. MimeOutline sits in front
// of mailparser, follows the MIME structure line by line, and passes the message on with a
// few repairs and within the parser's limits (PARSE_LIMITS):
//
// - a part of a multipart/digest without a Content-Type gets "Content-Type: message/rfc822"
//   written in (RFC 2046 5.1.5), so it is a forwarded message and not text merged into the body;
// - a part whose header runs straight into its body, without the blank line, gets the blank
//   line before the first line that is no header field (as Python's email reads it), so the
//   body is not lost inside the header;
// - files uuencoded into a plain text body are taken out of the text and handed over decoded;
// - parts past the part count or the nesting depth are left out, header lines past the header
//   size are left out, and the body text is kept only up to the display size.
// Everything it leaves out stays in the original message, and each case is a problem note.
//
// It also notes what mailparser does not tell: the charsets the message declares (to read file
// names written in raw 8-bit bytes), whether each base64 part holds whole 4-character groups,
// whether the MIME structure was closed before the message ended, and each part's header as
// written. mailparser decodes a cut-off attachment without a word; these notes are how we can
// tell the operator a file is incomplete.
//
// Parts are numbered the way mailsplit (mailparser's splitter) numbers them in the stream it is
// given, so a note can be found by an attachment's `partId`. Like mailparser with
// `ignoreEmbedded`, a message/rfc822 part is a leaf: the message inside it is not split.
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { InlineUuencode } from './inline-uuencode';
import { mediaTypeOf, readPartHead, textKindOf, type PartHead, type TextKind } from './part-head';
import { megabytes, PARSE_LIMITS } from './parse-limits';
import { UUENCODE_ENCODINGS } from './uudecode';

export interface PartIntegrity {
  /** The part's base64 characters modulo 4: anything but 0 means its last group is cut. */
  base64Leftover: number;
  /** The message ended inside this part, before the delimiter that should have closed it. */
  cutOff: boolean;
  /** Nothing stood between the part's header and its delimiter but the delimiter's own line ending. */
  emptyBody: boolean;
}

/** Where a file comes in the message: its part's place in message order, then its place within the part. */
export type MessageOrder = readonly [part: number, file: number];

export interface OutlineOptions {
  /** Receives each file found uuencoded in a body text, to be written to as it is decoded. */
  openInlineFile(rawName: Buffer, order: MessageOrder): Writable;
  /** How much body text is kept (the history's display size, or more for Show the whole message). */
  displayText?: number;
}

interface OutlineNode {
  parent: OutlineNode | null;
  partNr: number[];
  /** Place in message order. */
  seq: number;
  depth: number;
  /** The delimiter value of a multipart node (without the leading "--"). */
  boundary: Buffer | null;
  /** A multipart/digest: its parts are messages unless they say otherwise. */
  digest: boolean;
  head: PartHead | null;
  children: number;
  base64: boolean;
  base64Chars: number;
  bodyLines: number;
  /** A body line held more than a line ending. */
  bodyText: boolean;
  /** A leaf: a delimiter ended it. A multipart: its closing delimiter was seen. */
  closed: boolean;
  /** The part is shown as the message text of this kind. */
  text: TextKind | null;
  /** Text in which uuencoded files are looked for. */
  uu: InlineUuencode | null;
  files: number;
}

// Only the start of a line is decided on: a delimiter line is short, and so is a begin line.
const LINE_KEEP = 4096;
// mailsplit counts a header line as at least this many bytes against its header size limit.
const HEADER_LINE_MIN_COST = 64;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
// RFC 5322 field names (printable ASCII but the colon), a folded line, or an mbox "From " line:
// Python's rule for where a header ends when the blank line is missing.
const HEADER_LINE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[ \t])/;
// Transfer encodings mailparser passes through as they are (no decoding), so a uuencoded
// block in such a text is visible line by line.
const AS_IS_ENCODINGS = new Set(['', '7bit', '8bit', 'binary', ...UUENCODE_ENCODINGS]);

const BASE64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') {
  BASE64_CHAR[c.charCodeAt(0)] = 1;
}

type LineMode = 'pass' | 'text' | 'drop' | 'header' | 'done';

export class MimeOutline extends Transform {
  private readonly nodes = new Map<string, OutlineNode>();
  private readonly charsets: string[] = [];
  private readonly displayText: number;
  private readonly textLeft: Record<TextKind, number>;
  private node: OutlineNode;
  private state: 'head' | 'body' = 'head';
  private inEpilogue = false;
  /** Parts past a limit are being left out, up to the next delimiter of an open multipart. */
  private skipping = false;
  private nodeCount = 0;
  private ended = false;
  private bytes = 0;
  private out: Buffer[] = [];
  private lastOut = LF;
  /** The line ending the message uses, as last seen: lines written in take it. */
  private eol = '\r\n';
  private waiting: Writable[] = [];

  // The line being read: its start (kept), its length so far, and what is done with the rest.
  private lineHead: Buffer[] = [];
  private lineKept = 0;
  private lineLength = 0;
  private mode: LineMode | null = null;
  /** The leaf whose body the current line belongs to, for its counts. */
  private bodyOf: OutlineNode | null = null;
  private lineBase64 = 0;

  // The header block being read.
  private block: Buffer[] = [];
  private blockCost = 0;
  private headerLine: Buffer[] | null = null;
  private headerLineLength = 0;
  private fieldLeftOut = false;
  /** A line of this block was left out already (the block counts once). */
  private blockCut = false;

  // What went past a limit or was repaired, for the problem notes.
  private rootHeaderCut = false;
  private partHeadersCut = 0;
  private blankLinesAdded = 0;
  private partsLeftOut = false;
  private depthLeftOut = false;
  private textCut = false;

  constructor(private readonly options: OutlineOptions) {
    super();
    this.displayText = options.displayText ?? PARSE_LIMITS.displayText;
    this.textLeft = { plain: this.displayText, html: this.displayText };
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

  /** The body text was longer than the display size and is kept only up to it. */
  get bodyTruncated(): boolean {
    return this.textCut;
  }

  /** What was left out or repaired, in words for the operator. */
  problems(): string[] {
    const problems: string[] = [];
    const headerSize = megabytes(PARSE_LIMITS.headerBytes);
    if (this.rootHeaderCut) problems.push(`the message header is larger than ${headerSize}; the header lines past that were left out (they are in the original message)`);
    if (this.partHeadersCut > 0) problems.push(`${this.partHeadersCut} part(s) have a header larger than ${headerSize}; the header lines past that were left out (they are in the original message)`);
    if (this.blankLinesAdded > 0) problems.push(`${this.blankLinesAdded} part(s) have no blank line after their header; their body was read from the first line that is not a header field`);
    if (this.partsLeftOut) problems.push(`the message has more than ${PARSE_LIMITS.parts.toLocaleString('en')} MIME parts; only the first ${PARSE_LIMITS.parts.toLocaleString('en')} were read (the rest is in the original message)`);
    if (this.depthLeftOut) problems.push(`the message nests its parts more than ${PARSE_LIMITS.depth} levels deep; the deeper parts were not read (they are in the original message)`);
    if (this.textCut) problems.push(`the message text is larger than ${megabytes(this.displayText)}; only the first ${megabytes(this.displayText)} of it is kept for display (the whole text is in the original message)`);
    return problems;
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

  /** The header of the part mailparser calls `partId`, as read here; null when it is not known. */
  headOf(partId: string | null): PartHead | null {
    return this.nodes.get(partId ?? '')?.head ?? null;
  }

  /** Where the part mailparser calls `partId` comes in the message. */
  orderOf(partId: string | null): MessageOrder {
    return [this.nodes.get(partId ?? '')?.seq ?? 0, 0];
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.takeSegment(chunk.subarray(start, end));
      if (newline !== -1) this.endLine();
      start = end;
    }
    this.pushOut();
    this.afterWrites(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.lineLength > 0) this.endLine();
    if (this.state === 'head') this.endHeaders('none');
    this.leaveLeaf();
    this.ended = true;
    this.pushOut();
    done();
  }

  // ---- lines --------------------------------------------------------------------------------

  private takeSegment(segment: Buffer): void {
    this.lineLength += segment.length;
    // (A lone LF after a chunk boundary tells nothing: the CR may be in the chunk before.)
    if (segment.length > 1 && segment[segment.length - 1] === LF) this.eol = segment[segment.length - 2] === CR ? '\r\n' : '\n';
    if (this.mode !== null) return this.lineRest(segment);
    const room = LINE_KEEP - this.lineKept;
    // A view of the input chunk, not a copy: a line that ends within its chunk (nearly every
    // line) is passed on as that view, so a large attachment's bytes are copied once (into the
    // output chunk), not three times. Only a line cut by the chunk's end is copied, so that it
    // does not keep the whole previous chunk alive.
    const piece = segment.subarray(0, room);
    this.lineHead.push(piece[piece.length - 1] === LF ? piece : Buffer.from(piece));
    this.lineKept += Math.min(room, segment.length);
    if (segment.length > room) {
      // A long line: decided on its start, the rest follows as it comes.
      this.decide(false);
      this.lineRest(segment.subarray(room));
    }
  }

  private endLine(): void {
    if (this.mode === null) this.decide(true);
    else if (this.mode === 'header') this.commitHeaderLine();
    const node = this.bodyOf;
    if (node) {
      node.bodyLines += 1;
      const first = this.lineHead[0]?.[0];
      if (this.lineLength > 2 || (first !== CR && first !== LF)) node.bodyText = true;
      if (node.base64) node.base64Chars += this.lineBase64;
    }
    this.lineHead = [];
    this.lineKept = 0;
    this.lineLength = 0;
    this.mode = null;
    this.bodyOf = null;
    this.lineBase64 = 0;
  }

  /** What the line is: decided on the whole line, or on its first LINE_KEEP bytes when it is longer. */
  private decide(complete: boolean): void {
    const line = this.lineHead.length === 1 ? this.lineHead[0]! : Buffer.concat(this.lineHead, this.lineKept);
    this.mode = 'done';
    const delimiter = complete ? this.matchDelimiter(line) : null;
    if (delimiter) return this.onDelimiter(delimiter.owner, delimiter.closing, line);
    if (this.skipping) {
      this.mode = 'drop';
      return;
    }
    if (this.state === 'head') {
      if (complete && isBlank(line)) return this.endHeaders(line);
      if (this.node.parent === null || HEADER_LINE.test(line.toString('latin1'))) return this.startHeaderLine(line, complete);
      this.blankLinesAdded += 1;
      this.endHeaders(null);
    }
    this.bodyLine(line, complete);
  }

  private lineRest(segment: Buffer): void {
    switch (this.mode) {
      case 'pass':
      case 'text':
        this.countBase64(segment);
        this.passBody(segment);
        return;
      case 'header':
        this.addToHeaderLine(Buffer.from(segment));
        return;
      default:
        return;
    }
  }

  private bodyLine(line: Buffer, complete: boolean): void {
    const node = this.node;
    if (node.boundary) {
      // A multipart's preamble or epilogue: mailparser ignores it.
      this.mode = 'pass';
      this.pass(line);
      return;
    }
    this.bodyOf = node;
    this.countBase64(line);
    this.mode = node.text ? 'text' : 'pass';
    const lines = node.uu ? node.uu.line(line, complete) : [line];
    for (const text of lines) this.passBody(text);
    const writing = node.uu?.writing;
    if (writing?.writableNeedDrain) this.waiting.push(writing);
  }

  private countBase64(segment: Buffer): void {
    if (!this.bodyOf?.base64) return;
    let n = 0;
    for (let i = 0; i < segment.length; i++) n += BASE64_CHAR[segment[i]!]!;
    this.lineBase64 += n;
  }

  // ---- output -------------------------------------------------------------------------------

  private pass(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.out.push(bytes);
    this.lastOut = bytes[bytes.length - 1]!;
  }

  /** Body bytes; the message text only up to the display size, ending on a line ending when cut. */
  private passBody(bytes: Buffer): void {
    if (this.mode === 'drop') return;
    const kind = this.mode === 'text' ? this.node.text : null;
    if (!kind) return this.pass(bytes);
    const left = this.textLeft[kind];
    // base64 holds 3 bytes of text in 4 characters.
    const units = this.node.base64 ? Math.ceil((bytes.length * 3) / 4) : bytes.length;
    if (units <= left) {
      this.textLeft[kind] -= units;
      return this.pass(bytes);
    }
    this.textLeft[kind] = 0;
    this.textCut = true;
    this.pass(bytes.subarray(0, this.node.base64 ? Math.floor((left * 4) / 3 / 4) * 4 : left));
    if (this.lastOut !== LF) this.pass(Buffer.from('\r\n'));
    this.mode = 'drop';
  }

  private pushOut(): void {
    if (this.out.length > 0) this.push(this.out.length === 1 ? this.out[0] : Buffer.concat(this.out));
    this.out = [];
  }

  /** Waits until the files being written have room again (or are gone). */
  private afterWrites(done: TransformCallback): void {
    // Only a file still being written needs room; an ended one empties on its own.
    const waiting = this.waiting.filter((s) => s.writableNeedDrain && !s.writableEnded && !s.destroyed);
    this.waiting = [];
    if (waiting.length === 0) return done();
    let left = waiting.length;
    for (const stream of waiting) {
      const ready = (): void => {
        stream.off('drain', ready).off('close', ready).off('error', ready);
        if (--left === 0) done();
      };
      stream.on('drain', ready).on('close', ready).on('error', ready);
    }
  }

  // ---- headers ------------------------------------------------------------------------------

  private startHeaderLine(line: Buffer, complete: boolean): void {
    // A folded line belongs to the field before it, and goes where that field went.
    if (this.fieldLeftOut && (line[0] === 0x20 || line[0] === 0x09)) {
      this.mode = 'drop';
      return;
    }
    this.mode = 'header';
    this.headerLine = [];
    this.headerLineLength = 0;
    this.addToHeaderLine(line);
    if (complete) this.commitHeaderLine();
  }

  private addToHeaderLine(bytes: Buffer): void {
    if (!this.headerLine) return;
    this.headerLineLength += bytes.length;
    if (this.blockCost + this.headerLineLength > PARSE_LIMITS.headerBytes) {
      this.headerLine = null; // past the limit: not held, left out when it ends
      return;
    }
    this.headerLine.push(bytes);
  }

  private commitHeaderLine(): void {
    const cost = Math.max(this.headerLineLength, HEADER_LINE_MIN_COST);
    if (this.headerLine && this.blockCost + cost <= PARSE_LIMITS.headerBytes) {
      this.block.push(...this.headerLine);
      this.blockCost += cost;
      this.fieldLeftOut = false;
    } else {
      this.fieldLeftOut = true;
      if (this.node.parent) this.partHeadersCut += this.blockCut ? 0 : 1;
      else this.rootHeaderCut = true;
      this.blockCut = true;
    }
    this.headerLine = null;
    this.mode = 'done';
  }

  /**
   * The header block ends: at its blank line (`terminator`), where a blank line is added (null),
   * or at a delimiter or the end of the message ('none'). It is passed on, with the digest
   * default written in, and the part is set up for its body.
   */
  private endHeaders(terminator: Buffer | null | 'none'): void {
    const node = this.node;
    const lines = this.block;
    const head = readPartHead(Buffer.concat(lines).toString('latin1'));
    this.block = [];
    this.blockCost = 0;
    this.blockCut = false;
    this.fieldLeftOut = false;
    this.state = 'body';
    node.head = head;

    const eol = this.eol;
    const inDigest = node.parent?.digest === true;
    for (const line of lines) this.pass(line);
    if (inDigest && !head.declaredType) this.pass(Buffer.from(`Content-Type: message/rfc822${eol}`));
    if (terminator instanceof Buffer) this.pass(terminator);
    else if (terminator === null) this.pass(Buffer.from(eol));

    if (head.charset && !this.charsets.includes(head.charset)) this.charsets.push(head.charset);
    const mediaType = mediaTypeOf(head, inDigest);
    if (mediaType.startsWith('multipart/')) {
      node.boundary = head.boundary;
      node.digest = mediaType === 'multipart/digest';
      if (node.boundary) return;
    }
    node.base64 = head.transferEncoding === 'base64';
    node.text = textKindOf(mediaType, head);
    if (node.text === 'plain' && AS_IS_ENCODINGS.has(head.transferEncoding)) {
      node.uu = new InlineUuencode((name) => this.options.openInlineFile(name, [node.seq, ++node.files]));
    }
  }

  // ---- structure ----------------------------------------------------------------------------

  private addNode(parent: OutlineNode | null, partNr: number[]): OutlineNode {
    const node: OutlineNode = {
      parent,
      partNr,
      seq: this.nodeCount++,
      depth: parent ? parent.depth + 1 : 0,
      boundary: null,
      digest: false,
      head: null,
      children: 0,
      base64: false,
      base64Chars: 0,
      bodyLines: 0,
      bodyText: false,
      closed: false,
      text: null,
      uu: null,
      files: 0,
    };
    this.nodes.set(partNr.join('.'), node);
    return node;
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

  private onDelimiter(owner: OutlineNode, closing: boolean, line: Buffer): void {
    if (owner === this.node) {
      // The multipart's own delimiter: in its preamble, or after parts left out.
      if (closing) {
        owner.closed = true;
        // After parts that were passed on, this closes the multipart for mailsplit as well.
        if (this.skipping && owner.children > 0) this.inEpilogue = true;
        this.skipping = false;
        this.pass(line);
      } else {
        this.openChild(owner, line);
      }
      return;
    }
    // An ancestor's delimiter ends the current part. Multiparts between the two stay
    // unclosed: they never got their own closing delimiter.
    if (this.state === 'head') this.endHeaders('none');
    this.leaveLeaf();
    if (!this.node.boundary) this.node.closed = true;
    this.skipping = false;
    if (closing) {
      owner.closed = true;
      this.node = owner;
      this.inEpilogue = true;
      this.state = 'body';
      this.pass(line);
    } else {
      this.openChild(owner, line);
    }
  }

  /** A part's body ends: text held back to see whether it starts a file goes on as text. */
  private leaveLeaf(): void {
    const uu = this.node.uu;
    if (!uu) return;
    this.mode = 'text';
    for (const text of uu.end()) this.passBody(text);
    this.mode = 'done';
  }

  private openChild(parent: OutlineNode, line: Buffer): void {
    this.node = parent;
    this.state = 'body';
    this.inEpilogue = false;
    if (this.nodeCount >= PARSE_LIMITS.parts || parent.depth >= PARSE_LIMITS.depth) {
      // Left out, delimiter and all, up to the next delimiter of an open multipart.
      if (this.nodeCount >= PARSE_LIMITS.parts) this.partsLeftOut = true;
      else this.depthLeftOut = true;
      this.skipping = true;
      return;
    }
    this.pass(line);
    parent.children += 1;
    this.node = this.addNode(parent, [...parent.partNr, parent.children]);
    this.state = 'head';
  }
}

function isBlank(line: Buffer): boolean {
  return line.length === 1 ? line[0] === LF : line.length === 2 && line[0] === CR && line[1] === LF;
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
  while (line[i] === CR) i++;
  if (line[i] === LF) i++;
  if (i !== line.length) return null;
  // Only the closing delimiter may end the input without a line ending (as in mailsplit).
  if (!closing && line[line.length - 1] !== LF) return null;
  return closing;
}
