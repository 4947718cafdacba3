// A desk can be killed at any moment: the machine loses power, the operator ends the process in
// the task manager. Whatever the sync was doing then (connecting, fetching a batch, writing an
// attachment, streaming a large message, storing a row, saving its progress), the next start
// must go on from there and end with every message stored once, its files whole.
//
// The sync runs in a child process (tests/support/sync-child.ts) on one data dir, killed with
// SIGKILL 20 times at random moments, then let run until it is idle. Then what an operator would
// see is read back through the services: each message of the mailbox once, with its files, in
// order, by name, size and bytes, and its original.
//
// The moments come from a seeded PRNG, as shares of the time a first sync takes; a failure names
// the seed, that time and every kill, and the two variables that repeat those kills:
//   SYNC_KILL_SEED=<seed> SYNC_KILL_FIRST_SYNC_MS=<ms> npx vitest run --project integration tests/integration/sync-kill.test.ts
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { SyncStateRepo } from '../../main/store/sync-state-repo';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { bundleSyncChild, startSyncChild, type SyncChild } from '../support/sync-child-process';
import { tempDir } from '../support/temp-dir';

const MESSAGES = 40;
/** Two messages larger than the sync's SMALL_MESSAGE (4 MB): streamed on their own, not fetched in a batch. */
const LARGE_AT = [13, 27];
const KILLS = 20;
const FIRST_KILL_MS = 50;
const SEED = Number(process.env['SYNC_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 32));
/** Set, it stands for the measured time of a first sync, so that the seed gives the very same kills again. */
const FIRST_SYNC_MS = process.env['SYNC_KILL_FIRST_SYNC_MS'] ? Number(process.env['SYNC_KILL_FIRST_SYNC_MS']) : null;

interface SentFile {
  name: string;
  size: number;
  sha256: string;
}

interface SentMessage {
  subject: string;
  sha256: string;
  size: number;
  files: SentFile[];
}

/** Numbers in [0, 1) that depend only on the seed, the stream's name and how many were drawn before (SHA-256 of the three). */
function seeded(seed: number, stream: string): () => number {
  let drawn = 0;
  return () => createHash('sha256').update(`${seed}:${stream}:${drawn++}`).digest().readUInt32BE(0) / 2 ** 32;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function sha256Of(stream: NodeJS.ReadableStream): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

const NAMES = ['Счёт', 'scan', 'Договор №', 'photo', 'invoice', 'акт сверки'];
const EXTENSIONS = ['pdf', 'png', 'docx', 'jpg', 'zip', 'bin'];

/** The mailbox: its shape (how many files, their sizes and names) from the seed, their bytes random. */
async function buildMailbox(random: () => number): Promise<Array<{ raw: Buffer; sent: SentMessage }>> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  // A few KB to ~600 KB, as many small files as large ones.
  const assorted = () => Math.round(2048 * (600 / 2) ** random());
  const mailbox: Array<{ raw: Buffer; sent: SentMessage }> = [];
  for (let i = 1; i <= MESSAGES; i++) {
    const sizes = Array.from({ length: 1 + Math.floor(random() * 3) }, assorted);
    if (LARGE_AT.includes(i)) sizes[0] = 3_400_000 + Math.round(random() * 800_000);
    const files = sizes.map((size, j) => ({ filename: `${pick(NAMES)} ${i}-${j + 1}.${pick(EXTENSIONS)}`, content: randomBytes(size) }));
    const subject = `Заявка ${i}: ${pick(['счёт', 'договор', 'возврат', 'доставка'])} ${Math.floor(random() * 10_000)}`;
    const raw = await buildMessage({ from: `Иван Петров <${CLIENT.address}>`, to: OPERATOR.address, subject, attachments: files, messageId: `<kill-${i}.${SEED}@client.test>` });
    if (LARGE_AT.includes(i) && raw.length <= 4 * 1024 * 1024) throw new Error(`message ${i} was to be larger than 4 MB, not ${raw.length} bytes`);
    mailbox.push({
      raw,
      sent: { subject, sha256: sha256(raw), size: raw.length, files: files.map((f) => ({ name: f.filename, size: f.content.length, sha256: sha256(f.content) })) },
    });
  }
  return mailbox;
}

describe('kill -9 during a sync', () => {
  const tmp = tempDir('postdesk-kill-');
  const children: SyncChild[] = [];
  let dovecot: Dovecot;
  let configFile: string;
  let bundle: string;
  let sent: SentMessage[];

  beforeAll(async () => {
    if (!Number.isInteger(SEED) || (FIRST_SYNC_MS !== null && !(FIRST_SYNC_MS > FIRST_KILL_MS))) {
      throw new Error('SYNC_KILL_SEED must be an integer, and SYNC_KILL_FIRST_SYNC_MS a number of milliseconds above 50');
    }
    let mailbox: Awaited<ReturnType<typeof buildMailbox>>;
    [mailbox, dovecot, bundle] = await Promise.all([buildMailbox(seeded(SEED, 'mailbox')), startDovecot({ users: MAILBOX_USERS }), bundleSyncChild()]);
    configFile = writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 1 } })] });
    // In order, into a fresh INBOX: message i gets UID i.
    for (const { raw } of mailbox) await dovecot.save(OPERATOR.address, raw);
    sent = mailbox.map((m) => m.sent);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await dovecot?.stop();
    tmp.cleanup();
  });

  const run = (dataDir: string) => {
    const child = startSyncChild(bundle, configFile, path.join(tmp.dir, dataDir));
    children.push(child);
    return child;
  };

  it('loses nothing and stores nothing twice, however often the desk is killed mid-sync', async () => {
    // How long a whole first sync takes here, from the start of the process: the kills fall within that.
    const firstSyncMs = FIRST_SYNC_MS ?? (await measureFirstSync());

    // Shortest first: each run goes on where the last one was killed, so a long one early would
    // leave the later ones nothing but an idle desk to kill. In this order the kills walk through
    // the start, then the sync from message to message, the large ones too.
    const random = seeded(SEED, 'kills');
    const moments = Array.from({ length: KILLS }, () => Math.round(FIRST_KILL_MS + random() * (firstSyncMs - FIRST_KILL_MS))).sort((a, b) => a - b);
    const kills: Array<{ afterMs: number; last: string }> = [];
    const context = () =>
      `seed ${SEED}, a first sync in ${firstSyncMs} ms (SYNC_KILL_SEED=${SEED} SYNC_KILL_FIRST_SYNC_MS=${firstSyncMs} repeat these kills); ` +
      `killed after (ms: its last line then): ${kills.map((k) => `${k.afterMs}: ${k.last}`).join(', ')}`;

    try {
      for (const afterMs of moments) {
        const child = run('desk');
        await new Promise((resolve) => setTimeout(resolve, afterMs));
        await child.kill();
        kills.push({ afterMs, last: child.last() });
      }
      const last = run('desk');
      await last.idle(90_000);
      await last.finish();
      // Else every kill missed the sync (all before it started or after it ended) and this proved nothing.
      expect(kills.filter((k) => k.last.startsWith('syncing')).length, 'kills during a sync').toBeGreaterThan(0);

      await expectStoredOnce(path.join(tmp.dir, 'desk'));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${context()}`, { cause: error });
    }
  }, 170_000);

  async function measureFirstSync(): Promise<number> {
    const measured = run('measured');
    const ms = await measured.idle(90_000);
    await measured.finish();
    return ms;
  }

  /** What the operator sees: every message of the mailbox once, with its files whole, and its original; the sync state at the mailbox's last UID. */
  async function expectStoredOnce(dataDir: string): Promise<void> {
    const config = loadConfig(configFile).config;
    const services = await openServices({ config, dataDir, lang: 'en', version: 'test', startMail: false });
    try {
      const ids = services.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
      const stored = ids.map((id) => services.messages.get(id)!);
      const count = (subject: string) => stored.filter((m) => m.subject === subject).length;
      expect({
        twice: sent.filter((m) => count(m.subject) > 1).map((m) => `${m.subject} (${count(m.subject)} times)`),
        missing: sent.filter((m) => count(m.subject) === 0).map((m) => m.subject),
        unknown: stored.filter((m) => !sent.some((s) => s.subject === m.subject)).map((m) => m.subject),
      }).toEqual({ twice: [], missing: [], unknown: [] });

      for (const message of sent) {
        const { id } = stored.find((m) => m.subject === message.subject)!;
        const files = services.attachments.listForMessage(id);
        expect(files.map((f) => [f.fileName, f.size]), message.subject).toEqual(message.files.map((f) => [f.name, f.size]));
        for (const [i, file] of files.entries()) {
          // Read after a restart from its range of the raw message: no decoded copy was stored.
          expect(existsSync(services.blobs.pathOf(file.blobKey)), `${message.subject}, file ${i + 1} kept twice`).toBe(false);
          expect(await sha256Of(services.blobs.open(file.blobKey)), `${message.subject}, file ${i + 1}`).toEqual({
            sha256: message.files[i]!.sha256,
            size: message.files[i]!.size,
          });
        }
        const rawKey = services.messages.rawBlobKey(id);
        expect(rawKey, `${message.subject}: its original`).toBeDefined();
        expect(await sha256Of(services.blobs.open(rawKey!)), `${message.subject}: its original`).toEqual({ sha256: message.sha256, size: message.size });
      }

      // `mailbox=INBOX uidnext=41 uidvalidity=…`
      const status = await dovecot.doveadm('-f', 'flow', 'mailbox', 'status', '-u', OPERATOR.address, 'uidnext uidvalidity', 'INBOX');
      const field = (name: string) => new RegExp(`\\b${name}=(\\d+)`).exec(status)?.[1];
      expect(new SyncStateRepo(services.db).get(config.channels[0]!.id, 'INBOX'), 'the sync state').toEqual({
        uidValidity: field('uidvalidity'),
        lastUid: Number(field('uidnext')) - 1,
      });
    } finally {
      await services.close();
    }
  }
});
