// npm run bench -- ingest: 200 messages with a 1 MB attachment each in a private Dovecot;
// Postdesk's full first sync into an empty store against mbsync pulling the same mailbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fillInbox, mailboxFixture, mbsyncConfig } from './mail-fixture';
import { MB, report, requireTool, round, runWorker, timeCommand } from './support';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 200);

export async function benchIngest(): Promise<void> {
  requireTool('mbsync', 'isync');
  const fixture = await mailboxFixture();
  try {
    await fillInbox(fixture.dovecot, COUNT, MB);

    const peerDir = path.join(fixture.dir, 'mbsync');
    mkdirSync(peerDir);
    const peerConfig = path.join(fixture.dir, 'mbsyncrc');
    writeFileSync(peerConfig, mbsyncConfig(fixture.dovecot, peerDir), { mode: 0o600 });
    const peer = await timeCommand('mbsync', ['-q', '-c', peerConfig, 'inbox']);

    const ours = await runWorker<{ seconds: number; stored: number; peakRssMb: number }>('sync-worker.ts', {
      configFile: fixture.configFile,
      dataDir: path.join(fixture.dir, 'postdesk'),
      expected: COUNT,
    });
    if (ours.stored !== COUNT) throw new Error(`stored ${ours.stored} of ${COUNT} messages`);
    report({
      bench: 'ingest',
      messages: COUNT,
      ours_s: ours.seconds,
      ours_process_s: round(ours.wallSeconds, 3),
      peer: 'mbsync',
      peer_s: round(peer.seconds, 3),
      ratio: round(ours.seconds / peer.seconds),
      peak_rss_mb: ours.peakRssMb,
    });
  } finally {
    await fixture.stop();
  }
}
