// A 100 MB attachment must stream from the message file into the blob store without being held
// in memory, also when the blob store writes slower than mailparser decodes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore, type StoredBlob } from '../../main/files/blob-store';
import { parseMessage, type ParsedMessage } from '../../main/mail/parse-message';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const MB = 1024 * 1024;
const ATTACHMENT_SIZE = 100 * MB;
const RSS_LIMIT = 80 * MB;
// Stream buffers between the file and the blob store add up to well under a megabyte.
const MAX_LEAD = 4 * MB;

const temp = tempDir('postdesk-parse-big-');
const messageFile = path.join(temp.dir, 'big.eml');
let expectedKey = '';

afterAll(() => temp.cleanup());

beforeAll(async () => {
  expectedKey = await writeBigMessage(messageFile, ATTACHMENT_SIZE);
}, 120_000);

/**
 * Writes a message with one base64 attachment of `size` random bytes and returns their SHA-256.
 * A separate process does it, so the test worker's memory stays as it was for the measurement.
 */
async function writeBigMessage(file: string, size: number): Promise<string> {
  const head = [
    'From: Client <client@example.test>',
    'To: operator@example.test',
    'Subject: big scan',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="big-boundary"',
    '',
    '--big-boundary',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The scan is attached.',
    '--big-boundary',
    'Content-Type: application/pdf; name="scan.pdf"',
    'Content-Disposition: attachment; filename="scan.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const raw = `${file}.raw`;
  const script = [
    'set -euo pipefail',
    'head -c "$SIZE" /dev/urandom > "$RAW"',
    '{ printf "%s" "$HEAD"; base64 -w 76 "$RAW" | sed "s/$/\\r/"; printf -- "--big-boundary--\\r\\n"; } > "$OUT"',
    'sha256sum "$RAW" | cut -d" " -f1',
    'rm "$RAW"',
  ].join('\n');
  const { stdout } = await run('bash', ['-c', script], { env: { ...process.env, SIZE: String(size), RAW: raw, OUT: file, HEAD: head } });
  return stdout.trim();
}

/** Parses the big message while sampling RSS; returns the result and the peak growth. */
async function parseMeasured(store: BlobStore, input: ReadStream): Promise<{ parsed: ParsedMessage; growth: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 5);
  try {
    const parsed = await parseMessage(input, store);
    sample();
    return { parsed, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A blob store whose disk is slow: every chunk is held back for a moment before it is written.
 * It also notes how far reading the message file ran ahead of writing the attachment, which is
 * what mailparser would have to hold in memory.
 */
class SlowBlobStore extends BlobStore {
  maxLead = 0;

  constructor(
    root: string,
    private readonly input: ReadStream,
  ) {
    super(root);
  }

  override put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    let written = 0;
    const slow = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        written += chunk.length;
        // 78 bytes of a message line (76 base64 characters and CRLF) carry 57 bytes.
        this.maxLead = Math.max(this.maxLead, (this.input.bytesRead * 57) / 78 - written);
        setTimeout(() => done(null, chunk), 1);
      },
    });
    source.pipe(slow);
    return super.put(slow);
  }
}

describe('parseMessage with a 100 MB attachment', () => {
  it('streams it into the blob store with less than 80 MB of RSS growth', async () => {
    const store = new BlobStore(path.join(temp.dir, 'blobs'));
    await store.init();
    const { parsed, growth } = await parseMeasured(store, createReadStream(messageFile));
    console.log(`RSS growth while parsing a 100 MB attachment: ${(growth / MB).toFixed(1)} MB`);

    expect(parsed.problems).toEqual([]);
    expect(parsed.text).toBe('The scan is attached.');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ fileName: 'scan.pdf', mediaType: 'application/pdf', size: ATTACHMENT_SIZE, blobKey: expectedKey });
    expect(await sha256File(store.pathOf(expectedKey))).toBe(expectedKey);
    expect(growth).toBeLessThan(RSS_LIMIT);
  }, 120_000);

  it('keeps memory flat when the blob store writes slower than the message is decoded', async () => {
    const input = createReadStream(messageFile);
    const store = new SlowBlobStore(path.join(temp.dir, 'slow-blobs'), input);
    await store.init();
    const { parsed, growth } = await parseMeasured(store, input);
    console.log(`slow blob store: RSS growth ${(growth / MB).toFixed(1)} MB, reading ran ahead of writing by at most ${(store.maxLead / MB).toFixed(1)} MB`);

    expect(parsed.attachments.map((a) => [a.size, a.blobKey])).toEqual([[ATTACHMENT_SIZE, expectedKey]]);
    // The RSS of the first test is still held by the process, so the lead is the real measure here.
    expect(store.maxLead).toBeLessThan(MAX_LEAD);
    expect(growth).toBeLessThan(RSS_LIMIT);
  }, 180_000);
});

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
