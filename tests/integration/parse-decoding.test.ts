// The odd messages other parsers read wrong (tests/support/odd-mail.ts), through parseMessage
// with a real blob store: each file must come out with its real bytes, name and media type, the
// text without the uuencoded data, and the fast path must leave every one of them to the full
// parser.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessageFast } from '../../main/mail/parse-fast';
import { parseMessage, type ParsedMessage } from '../../main/mail/parse-message';
import { inPieces } from '../support/mail-samples';
import { oddCases, type OddCase } from '../support/odd-mail';
import { sha256 } from '../support/sample-files';
import { tempBlobStore } from '../support/temp-blobs';

const { store } = tempBlobStore('postdesk-parse-decoding-');

/** As ingest streams a stored message: 64 KiB at a time, and 7 bytes at a time to catch line-splitting slips. */
function parse(raw: Buffer, chunkSize = 64 * 1024): Promise<ParsedMessage> {
  return parseMessage(inPieces(raw, chunkSize), store);
}

function expectAsSent(parsed: ParsedMessage, odd: OddCase): void {
  if (odd.subject !== undefined) expect(parsed.subject).toBe(odd.subject);
  if (odd.text !== undefined) expect(parsed.text).toBe(odd.text);
  expect(parsed.attachments.map((a) => [a.fileName, a.mediaType])).toEqual(odd.files.map((f) => [f.fileName, f.mediaType]));
  odd.files.forEach((file, i) => {
    const stored = parsed.attachments[i]!;
    expect(readFileSync(store.pathOf(stored.blobKey)).equals(file.content), file.fileName).toBe(true);
    expect(stored.blobKey).toBe(sha256(file.content));
    expect(stored.size).toBe(file.content.length);
  });
  expect(parsed.problems).toEqual(odd.problems);
  expect(parsed.bodyTruncated).toBe(false);
}

describe('parseMessage on messages other parsers read wrong', () => {
  it.each(oddCases())('$title', async (odd) => {
    const parsed = await parse(odd.raw);
    expectAsSent(parsed, odd);
    expect(await parse(odd.raw, 7)).toEqual(parsed);
  });

  it.each(oddCases())('the fast path leaves it to the full parser: $title', async (odd) => {
    expect(await parseMessageFast(odd.raw, store)).toBeNull();
  });
});
