// npm run bench -- team: two desks on one mailbox (issue 11). Desk A (Alice) sends 20 answers,
// one at a time; each is timed from A's outbox reporting it accepted by SMTP until desk B (Bob)
// has filed it from the Sent folder. The reference is the server's own push latency for the same
// operation: a bare imapflow client IDLE on the Sent folder, timed from another bare client's
// APPEND of the same bytes until the 'exists' it is pushed. Dovecot pushes a change to another
// IDLE connection after ~0.5 s (DESIGN.md, "A team on one mailbox"), so that is the floor of both.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../tests/support/config-file';
import { deliverLmtp, startDovecot, type Dovecot } from '../tests/support/dovecot';
import { buildMessage } from '../tests/support/mail-builder';
import { startSmtpServer } from '../tests/support/smtp';
import { percentile, report, round, runWorker, within } from './support';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 20);
const SENT = 'Sent';
/** Issue 11's target for an answer to show on the other desk. */
const TARGET_P95_MS = 1000;
/** Quiet time between two APPENDs of the reference, as between two answers of ours: the watcher is back in IDLE. */
const PAUSE_MS = 500;
/** IDLE soon after every command (imapflow waits 15 s by default). */
const IDLE_AFTER_MS = 50;

export async function benchTeam(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-team-'));
  // A desk holds three connections (INBOX, Sent, the desks' folder); the client's mailbox takes the answers.
  const dovecot = await startDovecot({ users: MAILBOX_USERS, maxUserConnections: 40 });
  const smtp = await startSmtpServer({ deliverTo: dovecot });
  try {
    const channel = { ...channelFor({ dovecot, smtp }), sentMailbox: SENT, sentCopy: 'client' };
    const desks = ['Alice', 'Bob'].map((name) => ({
      configFile: writeConfig(dir, { channels: [channel], operator: { name } }, `${name.toLowerCase()}.config.json`),
      dataDir: path.join(dir, name.toLowerCase()),
    }));
    const question = await buildMessage({ from: `Client <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Where are my documents?' });
    await deliverLmtp(dovecot, OPERATOR.address, question);

    const ours = await runWorker<{ latenciesMs: number[]; appendMs: number[] }>('team-worker.ts', { desks, channelId: channel.id, answers: ANSWERS });
    const peerMs = await peerPushLatency(dovecot, ANSWERS);
    const oursP95 = percentile(ours.latenciesMs, 0.95);
    const peerP95 = percentile(peerMs, 0.95);
    report({
      bench: 'team',
      answers: ANSWERS,
      ours_p50_ms: percentile(ours.latenciesMs, 0.5),
      ours_p95_ms: oursP95,
      ours_max_ms: Math.max(...ours.latenciesMs),
      // Of that, desk A's own part: from "sent" until its copy is in the Sent folder (search + APPEND).
      ours_append_p50_ms: percentile(ours.appendMs, 0.5),
      peer: 'imapflow IDLE',
      peer_p50_ms: round(percentile(peerMs, 0.5), 1),
      peer_p95_ms: round(peerP95, 1),
      peer_max_ms: round(Math.max(...peerMs), 1),
      ratio_p95: round(oursP95 / peerP95),
      target_p95_ms: TARGET_P95_MS,
    });
  } finally {
    await smtp.stop();
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The server's push latency, `count` times: one bare connection IDLE on the Sent folder, another
 * APPENDing the bytes of the last answer our desks filed there (same size, same team fields).
 * It runs here, in the bench's own process: it is the reference, and it only waits on the network.
 */
async function peerPushLatency(dovecot: Dovecot, count: number): Promise<number[]> {
  const connect = async (options: Partial<ImapFlowOptions>): Promise<ImapFlow> => {
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: OPERATOR.address, pass: OPERATOR.password }, logger: false, ...options });
    client.on('error', () => undefined); // surfaced through the failed command
    await client.connect();
    return client;
  };
  const watcher = await connect({ autoIdleDelay: IDLE_AFTER_MS });
  const writer = await connect({ disableAutoIdle: true });
  try {
    await writer.mailboxOpen(SENT, { readOnly: true });
    const last = await writer.fetchOne('*', { source: true });
    if (!last || !last.source) throw new Error('the Sent folder holds no answer to copy');
    await watcher.mailboxOpen(SENT);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      await sleep(PAUSE_MS);
      const pushed = new Promise<number>((resolve) => watcher.once('exists', () => resolve(performance.now())));
      const started = performance.now();
      await writer.append(SENT, last.source, ['\\Seen']);
      times.push((await within(pushed, 15_000, `the push of APPEND ${i + 1}`)) - started);
    }
    return times;
  } finally {
    await Promise.all([watcher.logout(), writer.logout()]);
  }
}
