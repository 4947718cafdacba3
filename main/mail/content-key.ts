// What "the same message" means for deduplication, besides the very same bytes.
//
// A message re-fetched after a UIDVALIDITY change comes back byte for byte, but the same
// message delivered twice (to two of our addresses, through a list, re-sent by a broken
// gateway) does not: every hop puts its trace fields on top of the header (RFC 5321 4.4:
// Received, Return-Path; Delivered-To and X-Original-To from the final delivery), and only
// those. So the content of a message is its raw bytes after that leading run of trace fields:
// the message as its sender's side handed it over. Two messages that share a Message-ID but
// differ anywhere else (body, Date, Subject, another From) are different messages, and both are
// kept. A hash of subject + date + body would have to trust the parser's reading of each and
// miss differences in attachments or headers; the bytes cannot be misread.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const TRACE_FIELDS = new Set([
  'received',
  'return-path',
  'delivered-to',
  'x-original-to',
  'x-delivered-to',
  'envelope-to',
  'x-envelope-to',
  'received-spf',
  'authentication-results',
  'x-received',
]);

/** The trace fields are looked for in this many first bytes; real ones take a few kilobytes. */
export const HEAD_LIMIT = 64 * 1024;

/** SHA-256 of a message in memory, without its leading trace fields. */
export function contentKey(raw: Uint8Array): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const head = bytes.subarray(0, HEAD_LIMIT);
  return createHash('sha256')
    .update(bytes.subarray(contentStart(head, bytes.length <= HEAD_LIMIT)))
    .digest('hex');
}

/**
 * Passes a message through unchanged while computing the same key as contentKey; `key` is set
 * once the stream has ended. Holds at most HEAD_LIMIT bytes back from the hash, never from the
 * stream.
 */
export class ContentKeyStream extends Transform {
  key: string | null = null;
  /** The first bytes of the message, as far as they were held to find the trace fields. */
  head: Buffer = Buffer.alloc(0);
  private readonly hash = createHash('sha256');
  private held: Buffer[] = [];
  private heldLength = 0;
  private started = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.started) this.hash.update(chunk);
    else {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      if (this.heldLength > HEAD_LIMIT) this.start(false);
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (!this.started) this.start(true);
    this.key = this.hash.digest('hex');
    done();
  }

  /** Decides where the content starts, from the first HEAD_LIMIT bytes exactly, as contentKey does. */
  private start(ended: boolean): void {
    const all = Buffer.concat(this.held, this.heldLength);
    this.head = Buffer.from(all.subarray(0, HEAD_LIMIT));
    this.hash.update(all.subarray(contentStart(this.head, ended && all.length <= HEAD_LIMIT)));
    this.held = [];
    this.started = true;
  }
}

/**
 * Where the first header field that is not a trace field starts in `head` (the first bytes of
 * the message; `whole` when they are all of it). 0 when that cannot be told from `head`: then
 * the whole message is the content, which only costs a missed deduplication.
 */
function contentStart(head: Buffer, whole: boolean): number {
  let at = 0;
  for (;;) {
    const name = fieldNameAt(head, at);
    if (name === null || !TRACE_FIELDS.has(name)) return at;
    // The field runs to the end of its line and over every continuation line after it.
    let end = at;
    do {
      const lineFeed = head.indexOf(0x0a, end);
      if (lineFeed === -1) return whole ? head.length : 0;
      end = lineFeed + 1;
    } while (end < head.length && (head[end] === 0x20 || head[end] === 0x09));
    if (end === head.length && !whole) return 0;
    at = end;
  }
}

/** The lower-case name of the header field starting at `at`, or null when no field starts there. */
function fieldNameAt(head: Buffer, at: number): string | null {
  const colon = head.indexOf(0x3a, at);
  if (colon <= at || colon - at > 100) return null;
  const name = head.toString('latin1', at, colon).trimEnd();
  return /^[\x21-\x39\x3b-\x7e]+$/.test(name) ? name.toLowerCase() : null;
}
