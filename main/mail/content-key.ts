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
import { closeSync, openSync, readSync } from 'node:fs';

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
const HEAD_LIMIT = 64 * 1024;

/**
 * SHA-256 of the message stored in `file`, without its leading trace fields, read a megabyte at
 * a time. Synchronous, and computed only when needed: inside the transaction that decides
 * whether a message is stored, when a stored one shares its Message-ID and sender (rare), so
 * that the usual message costs no second pass over its bytes.
 */
export function contentKey(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const first = Buffer.alloc(HEAD_LIMIT + 1);
    const length = readSync(fd, first, 0, first.length, 0);
    const start = contentStart(first.subarray(0, Math.min(length, HEAD_LIMIT)), length <= HEAD_LIMIT);
    const hash = createHash('sha256').update(first.subarray(start, length));
    const chunk = Buffer.alloc(1024 * 1024);
    for (let at = length, read; (read = readSync(fd, chunk, 0, chunk.length, at)) > 0; at += read) hash.update(chunk.subarray(0, read));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
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
