// npm run bench -- bigmail: one message with a 100 MB attachment; how much Postdesk's peak
// RSS grows while it syncs and stores it (attachments are streamed, never held whole).
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { OPERATOR } from '../tests/support/config-file';
import { mailboxFixture, mbsyncConfig } from './mail-fixture';
import { MB, report, requireTool, round, runWorker, timeCommand } from './support';
import { mkdirSync, writeFileSync } from 'node:fs';

const SIZE = 100 * MB;

async function writeRandomFile(file: string, size: number): Promise<void> {
  let left = size;
  const source = new Readable({
    read() {
      const n = Math.min(left, MB);
      left -= n;
      this.push(n > 0 ? randomBytes(n) : null);
    },
  });
  await pipeline(source, createWriteStream(file));
}

export async function benchBigmail(): Promise<void> {
  requireTool('mbsync', 'isync');
  const fixture = await mailboxFixture();
  try {
    const file = path.join(fixture.dir, 'big.pdf');
    await writeRandomFile(file, SIZE);
    const transport = createTransport({ lmtp: true, host: fixture.dovecot.host, port: fixture.dovecot.lmtpPort, ignoreTLS: true });
    await transport.sendMail({
      from: 'client@example.test',
      to: OPERATOR.address,
      subject: 'A very large file',
      text: 'See attached.',
      attachments: [{ filename: 'big.pdf', path: file, contentType: 'application/pdf' }],
    });
    transport.close();

    const peerDir = path.join(fixture.dir, 'mbsync');
    mkdirSync(peerDir);
    const peerConfig = path.join(fixture.dir, 'mbsyncrc');
    writeFileSync(peerConfig, mbsyncConfig(fixture.dovecot, peerDir), { mode: 0o600 });
    const peer = await timeCommand('mbsync', ['-q', '-c', peerConfig, 'inbox']);

    const ours = await runWorker<{ seconds: number; stored: number; baselineRssMb: number; peakRssMb: number }>('sync-worker.ts', {
      configFile: fixture.configFile,
      dataDir: path.join(fixture.dir, 'postdesk'),
      expected: 1,
    });
    report({
      bench: 'bigmail',
      attachment_mb: SIZE / MB,
      ours_s: ours.seconds,
      peer: 'mbsync',
      peer_s: round(peer.seconds, 3),
      ratio: round(ours.seconds / peer.seconds),
      baseline_rss_mb: ours.baselineRssMb,
      peak_rss_mb: ours.peakRssMb,
      rss_growth_mb: round(ours.peakRssMb - ours.baselineRssMb, 1),
    });
  } finally {
    await fixture.stop();
  }
}
