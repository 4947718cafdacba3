// The content of a message, for deduplication: its bytes without the trace fields that hops put
// on top. The same key must come out whether the message is in memory or streamed in any
// pieces, or a re-delivered message would be stored twice depending on its size.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { contentKey, ContentKeyStream, HEAD_LIMIT } from '../../main/mail/content-key';

const MESSAGE = 'From: Client <client@example.test>\r\nMessage-ID: <m1@client.test>\r\nSubject: Invoice\r\n\r\nHello\r\n';
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

async function streamedKey(raw: Buffer, piece: number): Promise<{ key: string | null; passed: Buffer }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < raw.length; i += piece) chunks.push(raw.subarray(i, i + piece));
  const keyed = new ContentKeyStream();
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    keyed,
    new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { key: keyed.key, passed: Buffer.concat(out) };
}

describe('contentKey', () => {
  it('leaves out the trace fields a delivery puts on top (Dovecot LMTP: Return-Path, Delivered-To, Received)', () => {
    const delivered =
      'Return-Path: <client@example.test>\r\nDelivered-To: operator@example.test\r\n' +
      'Received: from localhost\r\n\tby dc (Dovecot) with LMTP id abc\r\n\tfor <operator@example.test>; Tue, 1 Dec 2026 10:00:00 +0000\r\n' +
      MESSAGE;
    expect(contentKey(Buffer.from(delivered))).toBe(sha(MESSAGE));
  });

  it('gives two deliveries of one message the same key, and a message that differs anywhere else another', () => {
    const once = `Received: by a; 1 Dec 2026\r\nX-Original-To: support@example.test\r\n${MESSAGE}`;
    const twice = `Delivered-To: other@example.test\nreceived: by b; 2 Dec 2026\n${MESSAGE}`;
    expect(contentKey(Buffer.from(once))).toBe(contentKey(Buffer.from(twice)));
    expect(contentKey(Buffer.from(`Received: by a\r\n${MESSAGE.replace('Hello', 'Hallo')}`))).not.toBe(contentKey(Buffer.from(once)));
  });

  it('keeps trace fields below the first other field: they are part of what the sender handed over', () => {
    const raw = `Subject: x\r\nReceived: by a\r\n\r\nbody`;
    expect(contentKey(Buffer.from(raw))).toBe(sha(raw));
  });

  it('hashes everything when the start is not a header field, or a trace field does not end within the first bytes', () => {
    expect(contentKey(Buffer.from('\r\nno header'))).toBe(sha('\r\nno header'));
    const endless = Buffer.from(`Received: ${'x'.repeat(HEAD_LIMIT + 10)}\r\n${MESSAGE}`);
    expect(contentKey(endless)).toBe(sha(endless));
  });

  it('gives a message that is all trace fields the key of nothing', () => {
    expect(contentKey(Buffer.from('Return-Path: <>\r\nReceived: by a'))).toBe(sha(''));
  });
});

describe('ContentKeyStream', () => {
  const cases: Array<[string, Buffer]> = [
    ['a small delivered message', Buffer.from(`Received: by a\r\n${MESSAGE}`)],
    ['exactly the bytes looked at', Buffer.concat([Buffer.from(`Received: by a\r\n${MESSAGE}`), Buffer.alloc(HEAD_LIMIT)]).subarray(0, HEAD_LIMIT)],
    ['one byte more', Buffer.concat([Buffer.from(`Received: by a\r\n${MESSAGE}`), Buffer.alloc(HEAD_LIMIT)]).subarray(0, HEAD_LIMIT + 1)],
    ['a trace field cut at the limit', Buffer.from(`Received: ${'x'.repeat(HEAD_LIMIT - 12)}\r\n${MESSAGE}`)],
    ['a large message', Buffer.concat([Buffer.from(`Received: by a\r\n${MESSAGE}`), randomBytes(300_000)])],
    ['an empty message', Buffer.alloc(0)],
  ];

  it.each(cases)('computes the same key as contentKey for %s, however it is cut, and passes every byte on', async (_title, raw) => {
    for (const piece of [1, 7, 4096, HEAD_LIMIT, raw.length + 1]) {
      if (piece === 1 && raw.length > 100_000) continue; // a byte at a time proves nothing more on 300 KB
      const { key, passed } = await streamedKey(raw, piece);
      expect(key).toBe(contentKey(raw));
      expect(passed.equals(raw)).toBe(true);
    }
  });
});
