// The content of a message, for deduplication: its bytes without the trace fields that hops put
// on top. It is read from the stored file in pieces, so the key must not depend on where a
// piece ends (the first 64 KB are where the trace fields are looked for).
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentKey } from '../../main/mail/content-key';
import { tempDir } from '../support/temp-dir';

const LOOKED_AT = 64 * 1024;
const MESSAGE = 'From: Client <client@example.test>\r\nMessage-ID: <m1@client.test>\r\nSubject: Invoice\r\n\r\nHello\r\n';
const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

const tmp = tempDir('postdesk-content-key-');
afterAll(() => tmp.cleanup());
let files = 0;
const keyOf = (raw: string | Buffer) => {
  const file = path.join(tmp.dir, `${++files}.eml`);
  writeFileSync(file, raw);
  return contentKey(file);
};

describe('contentKey', () => {
  it('leaves out the trace fields a delivery puts on top (Dovecot LMTP: Return-Path, Delivered-To, Received)', () => {
    const delivered =
      'Return-Path: <client@example.test>\r\nDelivered-To: operator@example.test\r\n' +
      'Received: from localhost\r\n\tby dc (Dovecot) with LMTP id abc\r\n\tfor <operator@example.test>; Tue, 1 Dec 2026 10:00:00 +0000\r\n' +
      MESSAGE;
    expect(keyOf(delivered)).toBe(sha(MESSAGE));
  });

  it('gives two deliveries of one message the same key, and a message that differs anywhere else another', () => {
    const once = `Received: by a; 1 Dec 2026\r\nX-Original-To: support@example.test\r\n${MESSAGE}`;
    const twice = `Delivered-To: other@example.test\nreceived: by b; 2 Dec 2026\n${MESSAGE}`;
    expect(keyOf(once)).toBe(keyOf(twice));
    expect(keyOf(`Received: by a\r\n${MESSAGE.replace('Hello', 'Hallo')}`)).not.toBe(keyOf(once));
  });

  it('keeps trace fields below the first other field: they are part of what the sender handed over', () => {
    const raw = `Subject: x\r\nReceived: by a\r\n\r\nbody`;
    expect(keyOf(raw)).toBe(sha(raw));
  });

  it('hashes everything when the start is not a header field, or a trace field does not end within the first bytes', () => {
    expect(keyOf('\r\nno header')).toBe(sha('\r\nno header'));
    const endless = Buffer.from(`Received: ${'x'.repeat(LOOKED_AT + 10)}\r\n${MESSAGE}`);
    expect(keyOf(endless)).toBe(sha(endless));
  });

  it('gives a message that is all trace fields (or nothing) the key of nothing', () => {
    expect(keyOf('Return-Path: <>\r\nReceived: by a')).toBe(sha(''));
    expect(keyOf('')).toBe(sha(''));
  });

  it.each([
    ['ends exactly where the trace fields are looked for', LOOKED_AT],
    ['is one byte longer', LOOKED_AT + 1],
    ['is several megabytes long', 3 * 1024 * 1024 + 17],
  ])('reads a message that %s whole, less its trace fields', (_title, size) => {
    const trace = Buffer.from('Received: by a\r\n');
    const content = Buffer.concat([Buffer.from(MESSAGE), randomBytes(size)]).subarray(0, size - trace.length);
    expect(keyOf(Buffer.concat([trace, content]))).toBe(sha(content));
  });
});
