// The strict decoders the scanner hashes with and the blob store reads with must be one function
// of the bytes, whatever the chunks they come in; a read from the middle of a file must give the
// same bytes as a read of the whole; and everything outside the strict forms must be refused.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import libqp from 'libqp';
import { afterAll, describe, expect, it } from 'vitest';
import { DamagedBlob, openDerived, type DerivedBlob } from '../../main/files/derived-blob';
import { decodeBody, decoderFor, layoutOf, NotStrict, type TransferEncoding } from '../../main/files/transfer-encoding';
import { tempDir } from '../support/temp-dir';

const temp = tempDir('postdesk-transfer-');
afterAll(() => temp.cleanup());

function base64Lines(bytes: Buffer, width: number, lineBreak: string): Buffer {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return Buffer.from(lines.join(lineBreak), 'latin1');
}

/** Decodes `body` fed in chunks of the given sizes, in turn. */
function decodeInChunks(body: Buffer, encoding: TransferEncoding, sizes: number[]): { decoded: Buffer; layout: ReturnType<typeof layoutOf> } {
  const decoder = decoderFor(encoding);
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < body.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(decoder.push(body.subarray(at, at + size)));
    at += size;
  }
  out.push(decoder.end());
  return { decoded: Buffer.concat(out), layout: layoutOf(decoder) };
}

/** The body inside a message file, as a derived blob of it. */
function inMessage(body: Buffer, encoding: TransferEncoding, size: number): { file: string; blob: DerivedBlob } {
  const head = Buffer.from('Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n');
  const file = path.join(temp.dir, `${randomBytes(6).toString('hex')}.eml`);
  writeFileSync(file, Buffer.concat([head, body, Buffer.from('\r\n--b--\r\n')]));
  const { layout } = decodeInChunks(body, encoding, [body.length || 1]);
  return { file, blob: { rawKey: '', start: head.length, end: head.length + body.length, encoding, line: layout, size } };
}

const CHUNKINGS = [[1], [3], [7, 1], [77], [4096], [1 << 20]];
const SIZES = [0, 1, 2, 3, 4, 56, 57, 58, 1000, 100_000];

describe('base64', () => {
  it.each(SIZES)('decodes %i bytes the same in any chunks, with CRLF, LF or no line breaks', (size) => {
    const bytes = randomBytes(size);
    for (const body of [base64Lines(bytes, 76, '\r\n'), base64Lines(bytes, 76, '\n'), base64Lines(bytes, 10_000_000, '')]) {
      for (const sizes of CHUNKINGS) expect(decodeInChunks(body, 'base64', sizes).decoded.equals(bytes)).toBe(true);
    }
    // 100,000 bytes one byte at a time is 400,000 pushes: about a second on a quiet machine, more
    // than vitest's default 5 s on a busy one (CI failed so once, with other test runs beside it).
  }, 60_000);

  it('learns the line layout of lines of one length, in any chunks', () => {
    const bytes = randomBytes(10_000);
    for (const sizes of CHUNKINGS) {
      expect(decodeInChunks(base64Lines(bytes, 76, '\r\n'), 'base64', sizes).layout).toEqual({ chars: 76, lineBreak: 2 });
      expect(decodeInChunks(base64Lines(bytes, 64, '\n'), 'base64', sizes).layout).toEqual({ chars: 64, lineBreak: 1 });
    }
  });

  it('decodes a body whose short last line ends in a line break, in any chunks', () => {
    const bytes = randomBytes(1000);
    for (const lineBreak of ['\r\n', '\n']) {
      const body = Buffer.concat([base64Lines(bytes, 76, lineBreak), Buffer.from(lineBreak + lineBreak)]);
      for (const sizes of CHUNKINGS) expect(decodeInChunks(body, 'base64', sizes).decoded.equals(bytes)).toBe(true);
    }
  });

  it('has no layout when lines differ, or are not whole groups, or the body is one line', () => {
    const bytes = randomBytes(1000);
    const uneven = Buffer.from(bytes.toString('base64').replace(/(.{76})(.{72})/g, '$1\r\n$2\r\n'), 'latin1');
    expect(decodeInChunks(uneven, 'base64', [100]).layout).toBeNull();
    expect(decodeInChunks(base64Lines(bytes, 74, '\r\n'), 'base64', [100]).layout).toBeNull();
    expect(decodeInChunks(base64Lines(bytes, 100_000, '\r\n'), 'base64', [100]).layout).toBeNull();
    const mixedBreaks = Buffer.from(base64Lines(bytes, 76, '\r\n').toString('latin1').replace('\r\n', '\n'), 'latin1');
    expect(decodeInChunks(mixedBreaks, 'base64', [100]).layout).toBeNull();
  });

  it.each([
    ['base64url "-"', 'QUJD-EFC'],
    ['base64url "_"', 'QUJD_EFC'],
    ['a stray character', 'QUJD*EFC'],
    ['a space inside', 'QUJD REFC'],
    ['a lone CR', 'QUJD\rREFC'],
    ['a cut group', 'QUJDREF'],
    ['text after the padding', 'QQ==QUJD'],
    ['padding inside a line', 'QQ==\r\nQUJD'],
    ['three "="', 'Q==='],
  ])('refuses %s', (_title, text) => {
    expect(decodeBody(Buffer.from(text, 'latin1'), 'base64')).toBeNull();
    for (const sizes of CHUNKINGS) expect(() => decodeInChunks(Buffer.from(text, 'latin1'), 'base64', sizes)).toThrow(NotStrict);
  });

  it('reads any range of the file from its middle, the same as the whole file has it', async () => {
    const bytes = randomBytes(200_000);
    for (const body of [base64Lines(bytes, 76, '\r\n'), base64Lines(bytes, 76, '\n'), base64Lines(bytes, 1_000_000, '')]) {
      const { file, blob } = inMessage(body, 'base64', bytes.length);
      expect((await buffer(openDerived(file, blob))).equals(bytes)).toBe(true);
      for (const [start, end] of [[0, 0], [1, 1], [2, 5], [56, 57], [57, 113], [199_998, 199_999], [123_457, 160_000], [0, 199_999]] as const) {
        expect((await buffer(openDerived(file, blob, { start, end }))).equals(bytes.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
      expect(await buffer(openDerived(file, blob, { start: 5, end: 4 }))).toHaveLength(0);
    }
  });
});

describe('a file read from a damaged original', () => {
  it('fails at the end of a whole read instead of handing over other bytes; a range is not checked', async () => {
    const bytes = randomBytes(100_000);
    const body = base64Lines(bytes, 76, '\r\n');
    // One character of the body changed for another of the alphabet: still strict base64.
    body[1000] = body[1000] === 0x41 ? 0x42 : 0x41;
    const { file, blob } = inMessage(body, 'base64', bytes.length);
    const key = createHash('sha256').update(bytes).digest('hex');
    await expect(buffer(openDerived(file, blob, { key }))).rejects.toThrow(DamagedBlob);
    await expect(buffer(openDerived(file, blob, { key, start: 5000, end: 6000 }))).resolves.toHaveLength(1001);
    const intact = inMessage(base64Lines(bytes, 76, '\r\n'), 'base64', bytes.length);
    expect((await buffer(openDerived(intact.file, intact.blob, { key }))).equals(bytes)).toBe(true);
  });
});

describe('quoted-printable', () => {
  const samples = [
    Buffer.from('name;sum\r\nИван;100\r\nПётр;200\r\n'),
    Buffer.from(`${'a long line that must be broken with soft line breaks, '.repeat(10)}\r\nend=here\r\n`),
    // Binary without CR and LF: libqp keeps those bytes as they are, which is no strict quoted-printable.
    randomBytes(5000).map((b) => (b === 0x0d || b === 0x0a ? 0x41 : b)),
  ];

  it('decodes what libqp writes the same in any chunks, as libqp decodes it', () => {
    for (const bytes of samples) {
      const body = Buffer.from(libqp.wrap(libqp.encode(bytes), 76), 'latin1');
      for (const sizes of CHUNKINGS) {
        const { decoded } = decodeInChunks(body, 'quoted-printable', sizes);
        expect(decoded.equals(libqp.decode(body.toString('latin1')))).toBe(true);
      }
    }
  });

  it.each([
    ['an 8-bit byte', 'caf\xe9'],
    ['a blank at the end of a line', 'word \r\nnext'],
    ['"=" that starts nothing', 'a=zz'],
    ['a lone CR', 'a\rb'],
  ])('refuses %s', (_title, text) => {
    expect(decodeBody(Buffer.from(text, 'latin1'), 'quoted-printable')).toBeNull();
  });

  it('reads a range by decoding from the start', async () => {
    const bytes = samples[1]!;
    const body = Buffer.from(libqp.wrap(libqp.encode(bytes), 76), 'latin1');
    const { file, blob } = inMessage(body, 'quoted-printable', bytes.length);
    expect((await buffer(openDerived(file, blob, { start: 100, end: 300 }))).equals(bytes.subarray(100, 301))).toBe(true);
  });
});

describe('7bit, 8bit and binary', () => {
  it('pass as they are, in any chunks, and a range is read from its place', async () => {
    const bytes = Buffer.from('plain notes\r\nline two\r\n'.repeat(100));
    for (const sizes of CHUNKINGS) expect(decodeInChunks(bytes, 'identity', sizes).decoded.equals(bytes)).toBe(true);
    const { file, blob } = inMessage(bytes, 'identity', bytes.length);
    expect((await buffer(openDerived(file, blob, { start: 10, end: 30 }))).equals(bytes.subarray(10, 31))).toBe(true);
  });

  it('refuse a CR without its LF, even across chunks', () => {
    for (const sizes of CHUNKINGS) {
      expect(() => decodeInChunks(Buffer.from('a\rb'), 'identity', sizes)).toThrow(NotStrict);
      expect(() => decodeInChunks(Buffer.from('ends in CR\r'), 'identity', sizes)).toThrow(NotStrict);
      expect(decodeInChunks(Buffer.from('a\r\nb'), 'identity', sizes).decoded.toString()).toBe('a\r\nb');
    }
  });
});
