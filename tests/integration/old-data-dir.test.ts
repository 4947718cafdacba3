// A data dir written by the release before received files became ranges of their raw messages
// (tests/fixtures/data-dir-schema-11.tar.gz, built as tests/fixtures/README.md says): it opens,
// migrates, and serves every file as before; `npm run compact` then turns its plain messages'
// files into ranges and removes their decoded copies, and every file is still served the same.
// A draft holding the same bytes as a received file keeps its blob.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { openServices, type Services } from '../../main/services';
import { channelFor, writeConfig } from '../support/config-file';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const FIXTURE = path.resolve('tests/fixtures/data-dir-schema-11.tar.gz');

interface Manifest {
  messages: Array<{ subject: string; files: Array<{ fileName: string; size: number; sha256: string }> }>;
  draft: { fileName: string; sha256: string };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every regular file under `dir`, with its size. */
function filesUnder(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      found.set(file, statSync(file).size);
    }
  }
  return found;
}

describe('a data dir from the release before ranges', () => {
  const temp = tempDir('postdesk-old-data-');
  const dataDir = path.join(temp.dir, 'data');
  let manifest: Manifest;
  let configFile: string;
  let services: Services | null = null;

  const open = async () => {
    services = await openServices({ config: loadConfig(configFile).config, dataDir, lang: 'en', version: 'test', startMail: false });
    return services;
  };
  const close = async () => {
    await services?.close();
    services = null;
  };

  beforeAll(async () => {
    await run('tar', ['xzf', FIXTURE, '-C', temp.dir]);
    manifest = JSON.parse(readFileSync(path.join(temp.dir, 'manifest.json'), 'utf8')) as Manifest;
    // Written by the last release, long before this run: no sweep grace applies to them.
    const longAgo = new Date(Date.now() - 24 * 60 * 60_000);
    for (const file of filesUnder(dataDir).keys()) utimesSync(file, longAgo, longAgo);
    const servers = { dovecot: { host: '127.0.0.1', lmtpPort: 1, imapPort: 1 }, smtp: { host: '127.0.0.1', port: 1 } };
    configFile = writeConfig(temp.dir, { channels: [channelFor(servers)] });
  });

  afterAll(async () => {
    await close();
    temp.cleanup();
  });

  /** Every file of the manifest, read as the app serves it (blob store by key), and each message's original. */
  async function expectEveryFileServed(s: Services): Promise<void> {
    for (const expected of manifest.messages) {
      const id = s.db.prepare('SELECT id FROM messages WHERE subject = ?').pluck().get(expected.subject) as number;
      const message = s.messages.get(id)!;
      expect(message.attachments.map((a) => [a.fileName, a.size]), expected.subject).toEqual(expected.files.map((f) => [f.fileName, f.size]));
      for (const [i, attachment] of s.attachments.listForMessage(id).entries()) {
        expect(sha256(await buffer(s.blobs.open(attachment.blobKey))), `${expected.subject}: ${attachment.fileName}`).toBe(expected.files[i]!.sha256);
      }
      expect((await buffer(s.blobs.open(s.messages.rawBlobKey(id)!))).toString('latin1')).toContain(`Subject: ${expected.subject}`);
    }
    const draftFile = s.db.prepare('SELECT blob_key FROM draft_attachments WHERE file_name = ?').pluck().get(manifest.draft.fileName) as string;
    expect(sha256(readFileSync(s.blobs.pathOf(draftFile)))).toBe(manifest.draft.sha256);
  }

  it('opens at schema 11, migrates, and serves every file from its decoded blob', async () => {
    const s = await open();
    expect(s.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(12);
    await expectEveryFileServed(s);
    expect(s.db.prepare('SELECT count(*) FROM attachments WHERE source_start IS NOT NULL').pluck().get()).toBe(0);
    await close();
  });

  it('npm run compact turns plain messages’ files into ranges, removes the copies and still serves every file', async () => {
    const before = filesUnder(dataDir);
    const { stdout } = await run('npx', ['tsx', 'scripts/compact.ts', '--data-dir', dataDir]);
    // Three plain messages (the forwarded one is no plain MIME: the full parser's blob stays).
    expect(stdout).toMatch(/^5 file\(s\) of 3 message\(s\) are now read from their original messages; [1-9]\d* unused file\(s\) removed/m);
    const after = filesUnder(dataDir);
    const blobBytes = (files: Map<string, number>) => [...files].filter(([f]) => f.includes(`${path.sep}blobs${path.sep}`)).reduce((sum, [, size]) => sum + size, 0);
    expect(blobBytes(after)).toBeLessThan(blobBytes(before));

    const s = await open();
    await expectEveryFileServed(s);
    const ranged = s.db.prepare('SELECT file_name FROM attachments WHERE source_start IS NOT NULL ORDER BY id').pluck().all();
    expect(ranged).toEqual(['Счёт.pdf', 'photo.png', 'data.csv', 'notes.txt', 'again.pdf']);
    const decodedCopy = (name: string) => existsSync(s.blobs.pathOf(s.db.prepare('SELECT blob_key FROM attachments WHERE file_name = ?').pluck().get(name) as string));
    expect(decodedCopy('photo.png')).toBe(false);
    expect(decodedCopy('fwd.eml')).toBe(true);
    // The draft still holds the PDF's bytes as a blob of its own.
    expect(decodedCopy('Счёт.pdf')).toBe(true);

    // A second run finds nothing more to do.
    await close();
    const again = await run('npx', ['tsx', 'scripts/compact.ts', '--data-dir', dataDir]);
    expect(again.stdout).toMatch(/^0 file\(s\) of 0 message\(s\)/m);
  });

  it('npm run compact refuses a folder that is no data dir, saying how it is used', async () => {
    const failed = await run('npx', ['tsx', 'scripts/compact.ts', '--data-dir', temp.dir]).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run compact -- --data-dir DIR') });
  });
});
