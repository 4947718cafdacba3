// Every message of the corpus — tests/corpus/*.eml (hand-made, and what other tests add there),
// messages Python's email package writes, and what mutt and swaks send — parsed as ingest
// parses it, each stored attachment compared byte for byte (and by name) with Python 3's
// `email` reading of the same raw message (tests/support/python-attachments.py). The fast
// path, where it takes a message, must give the same result as the full parser.
//
// Where Python and we differ on purpose, the comparison says so rather than hiding it:
// - names are compared as we make them safe to store (no directories, no control or bidi
//   characters): Python hands out "a\\b.txt" as it is;
// - a name cut inside a UTF-8 character: Python shows U+FFFD for it, we leave it out;
// - a name in raw 8-bit bytes: Python reads them as UTF-8 with replacement characters, we read
//   them in the charset the message declares, so the script gives no name to compare with;
// - a part without a name: Python has none; we name it from its begin line, its Subject or
//   "attachment-N", so only its bytes are compared;
// - files uuencoded into a text: Python's email leaves them in the text; the script decodes them
//   with binascii.a2b_uu by the same rule that finds them here;
// - whole parts that Python shows as text and we keep as files, named in SHOWN_AS_TEXT_BY_PYTHON.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { storedName } from '../../main/files/file-names';
import { parseMessageFast } from '../../main/mail/parse-fast';
import { bytesOfFile } from '../../main/mail/message-bytes';
import { parseMessage, type ParsedAttachment, type ParsedMessage } from '../../main/mail/parse-message';
import { inPieces } from '../support/mail-samples';
import { EMPTY_FILE, startMailPrograms } from '../support/mail-programs';
import { readFromRange, withoutRanges } from '../support/ranges';
import { sha256 } from '../support/sample-files';
import { tempBlobStore } from '../support/temp-blobs';

const run = promisify(execFile);
const SUPPORT = path.resolve('tests/support');
const CORPUS = path.resolve('tests/corpus');
const { store, dir } = tempBlobStore('postdesk-parse-corpus-');

interface PythonFile {
  name: string | null;
  mediaType: string;
  size: number;
  sha256: string;
}

/** Python's reading of each file, in the order given. */
async function pythonRead(files: string[], asMessage = false): Promise<Array<{ subject: string; files: PythonFile[]; sha256: string }>> {
  const { stdout } = await run('python3', [path.join(SUPPORT, 'python-attachments.py'), ...(asMessage ? ['--message'] : []), ...files], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { subject: string; files: PythonFile[]; sha256: string });
}

/**
 * As ingest does: the fast path when it takes the message (and then it must agree with the full
 * parser, in memory and reading the message's file alike), else the full parser on a stream.
 */
async function parseAsIngest(file: string): Promise<ParsedMessage> {
  const raw = readFileSync(file);
  const slow = await parseMessage(inPieces(raw, 64 * 1024), store);
  const fast = await parseMessageFast(raw, store);
  if (!fast) return slow;
  expect(withoutRanges(fast)).toEqual(slow);
  const onDisk = await bytesOfFile(file);
  try {
    expect(await parseMessageFast(onDisk, store)).toEqual(fast);
  } finally {
    await onDisk.close();
  }
  return fast;
}

/** A file's bytes as the blob store serves them: decoded from its range of the raw message, or its own blob. */
function bytesOf(file: string, attachment: ParsedAttachment): Promise<Buffer> | Buffer {
  return attachment.range ? readFromRange(file, attachment) : readFileSync(store.pathOf(attachment.blobKey));
}

/** The name Python reads, as we would store it; null when there is nothing to compare (see the file comment). */
function comparableName(name: string | null): string | null {
  if (name === null) return null;
  return storedName(name.replaceAll('\uFFFD', '')) || null;
}

/** Compares every file of the messages with Python's reading; resolves to how many were read from their ranges. */
async function expectAsPythonReads(files: string[]): Promise<number> {
  let fromRanges = 0;
  const python = await pythonRead(files);
  for (const [i, file] of files.entries()) {
    const label = path.basename(file);
    const parsed = await parseAsIngest(file);
    const expected = python[i]!.files;
    const asText = SHOWN_AS_TEXT_BY_PYTHON[label]?.files ?? [];
    expect(parsed.attachments.map((a) => a.fileName), `${label}: ${SHOWN_AS_TEXT_BY_PYTHON[label]?.why}`).toEqual(expect.arrayContaining(asText));
    parsed.attachments = parsed.attachments.filter((a) => !asText.includes(a.fileName));
    expect(parsed.attachments.length, `${label}: how many files`).toBe(expected.length);
    // A forwarded message is compared through Python's serialization of it, on both sides.
    const forwarded = parsed.attachments.filter((a) => a.mediaType === 'message/rfc822').map((a) => store.pathOf(a.blobKey));
    const forwardedHashes = forwarded.length > 0 ? (await pythonRead(forwarded, true)).map((r) => r.sha256) : [];
    let f = 0;
    for (const [j, attachment] of parsed.attachments.entries()) {
      const theirs = expected[j]!;
      const what = `${label}: attachment ${j + 1} (${attachment.fileName})`;
      if (theirs.mediaType === 'message/rfc822') {
        expect(attachment.mediaType, what).toBe('message/rfc822');
        expect(forwardedHashes[f++], what).toBe(theirs.sha256);
      } else {
        expect(sha256(await bytesOf(file, attachment)), what).toBe(theirs.sha256);
        if (attachment.range) fromRanges++;
        expect(attachment.size, what).toBe(theirs.size);
      }
      const name = comparableName(theirs.name);
      if (name !== null) expect(attachment.fileName, what).toBe(name);
    }
  }
  return fromRanges;
}

/** Files of ours that Python reads as text instead, by message, and why we differ. */
const SHOWN_AS_TEXT_BY_PYTHON: Record<string, { files: string[]; why: string }> = {
  'ingest-facejj-content-type.eml': {
    files: ['facejj.jpg'],
    why: '"Content-Type: ; name=facejj.jpg" has no type: Python takes it for text/plain (RFC 2045 5.2), we keep the named file, as mail clients show it',
  },
};

const corpus = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.eml'))
  .sort();

describe('the corpus, read as Python reads it', () => {
  it('has messages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus)('%s', async (name) => {
    await expectAsPythonReads([path.join(CORPUS, name)]);
  });

  it('messages written by Python’s email package', async () => {
    const folder = path.join(dir, 'python');
    await run('python3', [path.join(SUPPORT, 'python-corpus.py'), folder]);
    const files = readdirSync(folder).map((name) => path.join(folder, name));
    expect(files).toHaveLength(6);
    expect(await expectAsPythonReads(files)).toBeGreaterThan(0);
  });

  it('messages sent by mutt and swaks', async () => {
    const programs = await startMailPrograms(path.join(dir, 'mailer'));
    try {
      const names = programs.files.map(([n]) => n);
      const sent = [
        await programs.mutt('Документы', names, 'Please see the files.\n', { utf8: true }),
        await programs.mutt('One file', [names[0]!], 'One file.\n'),
        await programs.mutt('empty', [EMPTY_FILE], 'An empty file.\n'),
        await programs.swaks(),
      ];
      const files = sent.map((raw, i) => {
        const file = path.join(dir, `program-${i}.eml`);
        writeFileSync(file, raw);
        return file;
      });
      // mutt's and swaks's files are plain MIME: every one is served from its range.
      expect(await expectAsPythonReads(files)).toBeGreaterThanOrEqual(4);
    } finally {
      await programs.stop();
    }
  });
});
