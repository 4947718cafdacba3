// uuencode, as old mailers (Outlook Express, Usenet gateways, scripts) still send files: a
// "begin 644 name" line, lines of data, an "end" line. It comes either as a part's transfer
// encoding (x-uuencode, uuencode, x-uue) or as a block inside a plain text body. A line is
// decoded as Python's binascii.a2b_uu decodes it (Python's email package is our reference).
import { Transform, type TransformCallback } from 'node:stream';

/** The transfer encodings that mean uuencode (the same list as Python's email package). */
export const UUENCODE_ENCODINGS: ReadonlySet<string> = new Set(['x-uuencode', 'uuencode', 'uue', 'x-uue']);

const BEGIN = /^begin ([0-7]+)(?: (.*))?$/s;
const SPACE = 0x20;
const BACKTICK = 0x60;
const CR = 0x0d;
const LF = 0x0a;

/** The line without its line ending (CRLF, LF or CR). */
export function withoutLineEnding(line: Buffer): Buffer {
  let end = line.length;
  while (end > 0 && (line[end - 1] === LF || line[end - 1] === CR)) end--;
  return line.subarray(0, end);
}

/** For a "begin <mode> <name>" line, the name's raw bytes ('' when it has none); null for any other line. */
export function beginLineName(line: Buffer): Buffer | null {
  const match = BEGIN.exec(withoutLineEnding(line).toString('latin1'));
  return match ? Buffer.from(match[2] ?? '', 'latin1') : null;
}

export function isEndLine(line: Buffer): boolean {
  // Checked on every data line: most are 61 characters, far longer than any "end" line.
  if (line.length > 16) return false;
  return line.toString('latin1').replace(/^[ \t\r\n\f]+|[ \t\r\n\f]+$/g, '') === 'end';
}

/**
 * The bytes of one data line, or null when it is not one. As binascii.a2b_uu: the first
 * character gives the byte count, characters missing at the end count as zero (some
 * transports strip trailing blanks), and what follows the data may only be blanks or "`".
 * A line with more characters than its count needs is cut to them, as Python's email does for
 * "broken uuencoders".
 */
export function decodeUuLine(line: Buffer): Buffer | null {
  const data = withoutLineEnding(line);
  if (data.length === 0) return null;
  return a2bUu(data) ?? a2bUu(data.subarray(0, Math.floor((((data[0]! - SPACE) & 63) * 4 + 5) / 3)));
}

function a2bUu(data: Buffer): Buffer | null {
  const length = (data[0]! - SPACE) & 63;
  const out = Buffer.alloc(length);
  let bits = 0;
  let bitCount = 0;
  let written = 0;
  let i = 1;
  for (; written < length; i++) {
    const c = data[i];
    let value = 0;
    if (c !== undefined) {
      if (c < SPACE || c > BACKTICK) return null;
      value = (c - SPACE) & 63;
    }
    bits = ((bits << 6) | value) & 0xffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[written++] = (bits >> bitCount) & 0xff;
    }
  }
  for (; i < data.length; i++) if (data[i] !== SPACE && data[i] !== BACKTICK) return null;
  return out;
}

/**
 * A part's content in uuencode, decoded: lines before "begin" are skipped, data lines decoded up
 * to "end". When no begin line comes (within the first megabyte) the content is passed on as
 * it came, so nothing is lost; `problem` then says why, as it does for damaged data.
 */
export class UudecodeStream extends Transform {
  /** The name on the begin line, raw bytes; null until one is seen. */
  name: Buffer | null = null;
  /** Why the content is not (wholly) decoded; null when it is. */
  problem: string | null = null;
  private state: 'before' | 'data' | 'after' | 'raw' = 'before';
  private skipped: Buffer[] = [];
  private skippedLength = 0;
  private partial: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.raw) return done(null, chunk);
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      const line = Buffer.concat([...this.partial, chunk.subarray(start, nl + 1)]);
      this.partial = [];
      start = nl + 1;
      this.line(line);
      if (this.raw) return done(null, chunk.subarray(start));
    }
    if (start < chunk.length && this.state !== 'after') this.partial.push(Buffer.from(chunk.subarray(start)));
    // A data line is at most 62 characters; a line of a megabyte is no uuencode, and is not held.
    if (this.partial.reduce((n, b) => n + b.length, 0) > 1024 * 1024) {
      if (this.state === 'before') this.giveUp('its uuencoded data has no "begin" line in its first megabyte, so it was kept as it came');
      else {
        this.problem ??= 'its uuencoded data is damaged; what came before the damage is kept';
        this.state = 'after';
        this.partial = [];
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = Buffer.concat(this.partial);
    this.partial = [];
    if (rest.length > 0) this.line(rest);
    if (this.state === 'before') this.giveUp('its uuencoded data has no "begin" line, so it was kept as it came');
    else if (this.state === 'data') this.problem ??= 'its uuencoded data ends without an "end" line';
    done();
  }

  /** Given up on decoding: the content passes as it came. */
  private get raw(): boolean {
    return this.state === 'raw';
  }

  private line(line: Buffer): void {
    switch (this.state) {
      case 'before': {
        this.name = beginLineName(line);
        if (this.name) this.state = 'data';
        else this.skip(line);
        return;
      }
      case 'data': {
        if (isEndLine(line)) {
          this.state = 'after';
          return;
        }
        const bytes = decodeUuLine(line);
        if (bytes) this.push(bytes);
        else {
          this.problem = 'its uuencoded data is damaged; what came before the damage is kept';
          this.state = 'after';
        }
        return;
      }
      case 'after':
      case 'raw':
        return;
    }
  }

  /** Lines before "begin" are kept for a while, in case the content is not uuencoded at all. */
  private skip(line: Buffer): void {
    this.skipped.push(line);
    this.skippedLength += line.length;
    if (this.skippedLength > 1024 * 1024) this.giveUp('its uuencoded data has no "begin" line in its first megabyte, so it was kept as it came');
  }

  private giveUp(problem: string): void {
    this.problem = problem;
    this.state = 'raw';
    for (const line of this.skipped) this.push(line);
    this.skipped = [];
    this.push(Buffer.concat(this.partial));
    this.partial = [];
  }
}
