// The parser's limits (PARSE_LIMITS) against the hostile messages themselves: 1,001 parts,
// parts nested 1,000 deep, a 2 MB header line, an HTML body past the display size (the 300 MB
// one has a file and a process of its own: parse-huge-body.test.ts). Each is read as far as
// its limit, with a problem note, never dropped.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { PARSE_LIMITS } from '../../main/mail/parse-limits';
import { parseMessage, type ParsedMessage } from '../../main/mail/parse-message';
import { openServices, type Services } from '../../main/services';
import { OFFLINE_CHANNEL } from '../support/config-file';
import { bytes, CRLF, ENVELOPE, fakeFile, filePart, inPieces, multipart, nested, part, textPart } from '../support/mail-samples';
import { uuencode } from '../support/odd-mail';
import { sha256 } from '../support/sample-files';
import { tempBlobStore } from '../support/temp-blobs';

const MB = 1024 * 1024;
const { store, dir } = tempBlobStore('postdesk-parse-limits-');

/** Without an fsync per file: a thousand attachments would otherwise spend the test on the disk. */
async function parse(raw: Buffer): Promise<ParsedMessage> {
  const writer = store.deferred();
  const parsed = await parseMessage(inPieces(raw, 64 * 1024), writer);
  await writer.flush();
  return parsed;
}

function expectStored(parsed: ParsedMessage, index: number, content: Buffer): void {
  const attachment = parsed.attachments[index]!;
  expect(readFileSync(store.pathOf(attachment.blobKey)).equals(content)).toBe(true);
  expect(attachment.blobKey).toBe(sha256(content));
}

describe('parser limits', () => {
  it('reads the first 1,000 parts of a message with 1,001, and says so', async () => {
    const files = Array.from({ length: 1000 }, (_, i) => Buffer.from(`file ${i + 1}`));
    const raw = multipart([textPart('A thousand files.'), ...files.map((f, i) => filePart([[`Content-Type: application/octet-stream; name="f${i + 1}.bin"`]], f))]);
    const parsed = await parse(raw);

    expect(parsed.text).toBe('A thousand files.');
    // The message itself, its text and 998 files are the 1,000 parts.
    expect(parsed.attachments).toHaveLength(998);
    expect(parsed.attachments.at(-1)?.fileName).toBe('f998.bin');
    expectStored(parsed, 0, files[0]!);
    expectStored(parsed, 997, files[997]!);
    expect(parsed.problems).toEqual(['the message has more than 1,000 MIME parts; only the first 1,000 were read (the rest is in the original message)']);
  }, 120_000);

  it('reads parts nested 1,000 deep down to level 50, and the parts after the nesting', async () => {
    const level10 = fakeFile('level 10');
    const after = fakeFile('%PDF-1.4');
    let deep = filePart([['Content-Type: application/octet-stream; name="bottom.bin"']], fakeFile('bottom'));
    for (let level = 1000; level >= 1; level--) {
      const inner = [deep];
      if (level === 10) inner.push(filePart([['Content-Type: application/octet-stream; name="level10.bin"']], level10));
      deep = nested('mixed', `level-${level}`, inner);
    }
    const raw = multipart([textPart('Nested.'), deep, filePart([['Content-Type: application/pdf; name="after.pdf"']], after)]);
    const parsed = await parse(raw);

    expect(parsed.text).toBe('Nested.');
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(['level10.bin', 'after.pdf']);
    expectStored(parsed, 0, level10);
    expectStored(parsed, 1, after);
    expect(parsed.problems).toEqual([`the message nests its parts more than ${PARSE_LIMITS.depth} levels deep; the deeper parts were not read (they are in the original message)`]);
  }, 60_000);

  it('leaves out a 2 MB header line and keeps the header fields around it', async () => {
    const junk = `X-Junk: ${'A'.repeat(2 * MB)}`;
    const file = fakeFile('%PDF-1.4');
    const raw = multipart(
      [
        part([[`X-Part-Junk: ${'B'.repeat(2 * MB)}`], ['Content-Type: text/plain; charset=utf-8']], 'After the junk.'),
        filePart([['Content-Type: application/pdf; name="kept.pdf"']], file),
      ],
      { head: [['From: Client <client@example.test>'], [junk], ['Subject: junk in the header'], ['MIME-Version: 1.0']] },
    );
    const parsed = await parse(raw);

    expect(parsed.from).toEqual({ address: 'client@example.test', name: 'Client' });
    expect(parsed.subject).toBe('junk in the header');
    expect(parsed.text).toBe('After the junk.');
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(['kept.pdf']);
    expectStored(parsed, 0, file);
    expect(parsed.problems).toEqual([
      'the message header is larger than 1 MB; the header lines past that were left out (they are in the original message)',
      '1 part(s) have a header larger than 1 MB; the header lines past that were left out (they are in the original message)',
    ]);
  });
  it('streams a 20 MB file uuencoded into a text body into the blob store; its data does not count as text', async () => {
    const content = randomBytes(20 * MB);
    const raw = bytes(...ENVELOPE.flatMap((h) => [...h, CRLF]), 'Content-Type: text/plain', CRLF, CRLF, 'Before.\r\n', uuencode('archive.bin', content), 'After.\r\n');
    const parsed = await parse(raw);
    expect(parsed.text).toBe('Before.\nAfter.\n');
    expect(parsed.attachments.map((a) => [a.fileName, a.size])).toEqual([['archive.bin', content.length]]);
    expectStored(parsed, 0, content);
    expect(parsed.bodyTruncated).toBe(false);
    expect(parsed.problems).toEqual([]);
  }, 120_000);
});

/** Rows of an HTML report, `size` bytes with the closing marker last. */
function htmlOf(size: number): string {
  const row = '<p>Row of the monthly report with <b>bold</b> words and a <a href="https://example.test/">link</a>.</p>\r\n';
  const end = '<p id="end">THE END OF THE REPORT</p></body></html>\r\n';
  return `<html><body>\r\n${row.repeat(Math.ceil((size - end.length) / row.length))}${end}`;
}

describe('an HTML body past the display size, through ingest', () => {
  let services: Services;
  beforeAll(async () => {
    services = await openServices({ config: configWith({ channels: [OFFLINE_CHANNEL] }), dataDir: path.join(dir, 'data'), lang: 'en', version: 'test', startMail: false });
  });
  afterAll(() => services?.close());

  it('keeps 1 MB of an HTML body of 6 MB, and Show the whole message reads it all', async () => {
    const html = htmlOf(6 * MB);
    const raw = bytes(...ENVELOPE.flatMap((h) => [...h, CRLF]), 'Content-Type: text/html; charset=utf-8', CRLF, CRLF, html);
    const id = await services.ingest.ingest(OFFLINE_CHANNEL.id, inPieces(raw, 64 * 1024));

    const message = services.messages.get(id!)!;
    expect(message.bodyTruncated).toBe(true);
    expect(message.html!.length).toBeLessThanOrEqual(PARSE_LIMITS.displayText);
    // 1 MB of the message's bytes, a little less once its CRLF line endings are read as LF.
    expect(message.html!.length).toBeGreaterThan(PARSE_LIMITS.displayText * 0.95);
    // Cut inside a line, which then ends there.
    expect(html.replace(/\r\n/g, '\n').startsWith(message.html!.trimEnd())).toBe(true);
    expect(message.problems).toEqual(['the message text is larger than 1 MB; only the first 1 MB of it is kept for display (the whole text is in the original message)']);

    const whole = await services.wholeText.read(id!);
    expect(whole.tooLarge).toBe(false);
    expect(whole.html).toBe(html.replace(/\r\n/g, '\n'));
    expect(whole.html!.endsWith('<p id="end">THE END OF THE REPORT</p></body></html>\n')).toBe(true);
  }, 120_000);
});
