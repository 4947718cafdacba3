// npm run bench -- send: one message with 10 attachments totalling 30 MB to a local SMTP server;
// Postdesk's outbox (compose from the blob store + send) against msmtp sending the same message.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLIENT, OPERATOR, writeConfig } from '../tests/support/config-file';
import { startSmtpServer } from '../tests/support/smtp';
import { MB, report, requireTool, round, runWorker, timeCommand } from './support';

const TOTAL = 30 * MB;
const SIZES = Array.from({ length: 10 }, () => TOTAL / 10);

export async function benchSend(): Promise<void> {
  requireTool('msmtp', 'msmtp');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-send-'));
  const smtp = await startSmtpServer();
  try {
    const configFile = writeConfig(dir, {
      channels: [
        {
          id: 'bench',
          name: 'Bench',
          address: OPERATOR.address,
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'unused' },
          smtp: { host: smtp.host, port: smtp.port, tls: 'none', password: OPERATOR.password },
        },
      ],
    });
    const ours = await runWorker<{ seconds: number; peakRssMb: number; rssGrowthMb: number }>('send-worker.ts', {
      configFile,
      dataDir: path.join(dir, 'postdesk'),
      sizes: SIZES,
    });
    const [sent] = await smtp.waitForMessages(1);
    const eml = path.join(dir, 'message.eml');
    writeFileSync(eml, sent!.raw);

    const peer = await timeCommand('sh', [
      '-c',
      `msmtp --host=${smtp.host} --port=${smtp.port} --auth=off --tls=off --from=${OPERATOR.address} ${CLIENT.address} < "${eml}"`,
    ]);
    await smtp.waitForMessages(2);
    report({
      bench: 'send',
      attachments: SIZES.length,
      message_mb: round(sent!.raw.length / MB, 1),
      ours_s: ours.seconds,
      peer: 'msmtp',
      peer_s: round(peer.seconds, 3),
      ratio: round(ours.seconds / peer.seconds),
      peak_rss_mb: ours.peakRssMb,
      rss_growth_mb: ours.rssGrowthMb,
    });
  } finally {
    await smtp.stop();
  }
}
