// A private Dovecot with a filled INBOX and a config whose channel reads it; the two sides that
// pull it (mbsync into a fresh maildir, Postdesk's first sync into a fresh data dir), run in turn.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTransport, type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { channelFor, OPERATOR, writeConfig } from '../tests/support/config-file';
import { startDovecot, type Dovecot } from '../tests/support/dovecot';
import { diskUsage, MB, runWorker, timeCommand } from './support';

export interface MailFixture {
  dovecot: Dovecot;
  dir: string;
  configFile: string;
  /** Stops Dovecot and removes `dir` with all the runs' maildirs and data dirs. */
  stop(): Promise<void>;
}

export async function mailboxFixture(): Promise<MailFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
  const dovecot = await startDovecot({ users: [{ user: OPERATOR.address, password: OPERATOR.password }] });
  // No SMTP server is involved in reading; the channel still needs one configured.
  const configFile = writeConfig(dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 25 } })] });
  return { dovecot, dir, configFile, stop: () => dovecot.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
}

/** A client's message as nodemailer writes it: a text body and one attachment, in base64. */
function clientMessage(subject: string, attachment: { filename: string } & ({ content: Buffer } | { path: string })): Mail.Options {
  return {
    from: 'Client <client@example.test>',
    to: OPERATOR.address,
    subject,
    text: `${subject}: see the attached file.`,
    attachments: [{ ...attachment, contentType: 'application/pdf' }],
  };
}

function lmtp(dovecot: Dovecot): Transporter {
  return createTransport({ lmtp: true, host: dovecot.host, port: dovecot.lmtpPort, ignoreTLS: true, pool: true, maxMessages: Infinity });
}

async function deliver(transport: Transporter, message: Mail.Options): Promise<void> {
  const info = await transport.sendMail(message);
  if (info.rejected?.length) throw new Error(`LMTP refused ${message.subject}: ${JSON.stringify(info.response)}`);
}

/**
 * Connections that deliver at once: Dovecot stores messages while we compose the next ones. On
 * 2 shared cores, 2000 × 100 KB took 16.5–27.4 s over one connection and 9.8–16.8 s over four,
 * then both cores were busy (~8 ms of CPU a message, ours and Dovecot's); eight gained nothing more.
 */
const LMTP_CONNECTIONS = 4;

/** Delivers `count` messages, each with its own subject and one attachment of `size` random bytes. */
export async function fillInbox(dovecot: Dovecot, count: number, size: number): Promise<void> {
  let next = 0;
  const connection = async () => {
    const transport = lmtp(dovecot);
    try {
      for (let i = next++; i < count; i = next++) {
        await deliver(transport, clientMessage(`Bench message ${i}`, { filename: `file-${i}.pdf`, content: randomBytes(size) }));
      }
    } finally {
      transport.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LMTP_CONNECTIONS, count) }, connection));
}

/** Writes `size` random bytes a megabyte at a time; resolves to their SHA-256 (hex). */
async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  function* chunks(): Generator<Buffer> {
    for (let done = 0; done < size; done += MB) {
      const chunk = randomBytes(Math.min(MB, size - done));
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
  return hash.digest('hex');
}

/**
 * A mailbox with one message carrying one file of `size` random bytes. The file stays in the
 * fixture's dir: `file` holds exactly the bytes attached, `sha256` is theirs.
 */
export async function mailboxWithFile(size: number): Promise<MailFixture & { file: string; sha256: string }> {
  const fixture = await mailboxFixture();
  try {
    const file = path.join(fixture.dir, 'attached.pdf');
    const sha256 = await writeRandomFile(file, size);
    const transport = lmtp(fixture.dovecot);
    try {
      await deliver(transport, clientMessage('A large file', { filename: 'attached.pdf', path: file }));
    } finally {
      transport.close();
    }
    return { ...fixture, file, sha256 };
  } catch (error) {
    await fixture.stop();
    throw error;
  }
}

/** An mbsync config that pulls the same INBOX into a maildir, as plainly as ours reads it. */
function mbsyncConfig(dovecot: Dovecot, maildir: string): string {
  return `IMAPAccount bench
Host ${dovecot.host}
Port ${dovecot.imapPort}
User ${OPERATOR.address}
Pass ${OPERATOR.password}
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path ${maildir}/
Inbox ${maildir}/INBOX

Channel inbox
Far :remote:INBOX
Near :local:INBOX
Sync Pull
Create Near
SyncState *
`;
}

export interface PeerRun {
  seconds: number;
  /** What the maildir holds after the pull: the messages' files and mbsync's .mbsyncstate files. */
  bytes: number;
}

/** mbsync pulls the INBOX into a fresh maildir (its sync state inside, so every pull is a first one). */
async function mbsyncRun(dovecot: Dovecot, dir: string): Promise<PeerRun> {
  const maildir = mkdtempSync(path.join(dir, 'mbsync-'));
  const config = `${maildir}.rc`;
  writeFileSync(config, mbsyncConfig(dovecot, maildir), { mode: 0o600 });
  try {
    const { seconds } = await timeCommand('mbsync', ['-q', '-c', config, 'inbox']);
    return { seconds, bytes: diskUsage(maildir) };
  } finally {
    rmSync(maildir, { recursive: true, force: true });
    rmSync(config, { force: true });
  }
}

export interface OurRun {
  /** From starting the mail to the channel idle with every message stored, inside the worker. */
  seconds: number;
  /** The worker process from spawn to exit (opening and closing the store included). */
  wallSeconds: number;
  stored: number;
  baselineRssMb: number;
  peakRssMb: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  /** What the data dir holds after the sync (bench/sync-worker.ts says what is in it). */
  dataBytes: number;
}

/** Postdesk's first sync of the INBOX into a fresh data dir, in a worker process of its own. */
async function postdeskRun(fixture: MailFixture, expected: number): Promise<OurRun> {
  const dataDir = mkdtempSync(path.join(fixture.dir, 'postdesk-'));
  try {
    const run = await runWorker<Omit<OurRun, 'wallSeconds'>>('sync-worker.ts', { configFile: fixture.configFile, dataDir, expected });
    if (run.stored !== expected) throw new Error(`stored ${run.stored} of ${expected} messages`);
    return run;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Both sides pull the same mailbox `runs` times, each time into a place of its own that is
 * removed afterwards. They take turns, and which goes first alternates, so neither always
 * finds Dovecot's files warmer in the page cache.
 */
export async function syncSideBySide(fixture: MailFixture, expected: number, runs: number): Promise<{ ours: OurRun[]; peer: PeerRun[] }> {
  const ours: OurRun[] = [];
  const peer: PeerRun[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) peer.push(await mbsyncRun(fixture.dovecot, fixture.dir));
    ours.push(await postdeskRun(fixture, expected));
    if (run % 2 === 1) peer.push(await mbsyncRun(fixture.dovecot, fixture.dir));
  }
  return { ours, peer };
}
