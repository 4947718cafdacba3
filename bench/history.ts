// npm run bench -- history: how long Chromium takes to open a conversation of 10,000 messages
// against one of 100, through the browser host, from the click to the newest message on screen.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { writeConfig } from '../tests/support/config-file';
import { incoming } from '../tests/support/incoming';
import { startHost } from '../tests/support/web-host';
import { median, openBenchServices, report, round } from './support';
import { transactionOf } from '../main/store/unit-of-work';

const RUNS = 7;

async function seed(configFile: string, dataDir: string): Promise<void> {
  const services = await openBenchServices(configFile, dataDir);
  const channelId = services.config.channels[0]!.id;
  for (const [name, count] of [['Short history', 100], ['Long history', 10_000]] as const) {
    const client = services.clients.create({ name, email: `${count}@example.test` });
    const conversationId = services.conversations.ensure(client.id, channelId);
    transactionOf(services.db)(() => {
      for (let i = 0; i < count; i++) {
        services.messages.insertIncoming(
          incoming(conversationId, {
            fromName: name,
            subject: `Message ${i + 1} of ${count}`,
            text: `Text of message ${i + 1}. `.repeat(5),
            createdAt: 1_700_000_000_000 + i * 60_000,
            attachments: i % 10 === 0 ? [{ fileName: `file-${i}.pdf`, mediaType: 'application/pdf', size: 1000, blobKey: 'e'.repeat(64), contentId: null, inline: false }] : [],
          }),
        );
      }
    });
  }
  await services.close();
}

export async function benchHistory(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-history-'));
  const configFile = writeConfig(dir, {
    channels: [
      {
        id: 'bench',
        name: 'Bench',
        address: 'operator@example.test',
        imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'unused' },
        smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'unused' },
      },
    ],
  });
  const dataDir = path.join(dir, 'data');
  await seed(configFile, dataDir);
  const host = await startHost({ config: configFile, dataDir, lang: 'en' });
  const browser = await chromium.launch({
    executablePath: process.env.POSTDESK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    // The one-time link answers with a page that goes on to the app: measure only once it is there.
    await page.getByRole('button', { name: /Short history/ }).waitFor();
    const times: Record<number, number[]> = { 100: [], 10_000: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const [name, count] of [['Short history', 100], ['Long history', 10_000]] as const) {
        const started = await page.evaluate(() => performance.now());
        await page.getByRole('button', { name: new RegExp(name) }).click();
        await page.getByRole('heading', { name: `Message ${count} of ${count}`, exact: true }).waitFor();
        const ended = await page.evaluate(() => performance.now());
        times[count]!.push(ended - started);
      }
    }
    const short = median(times[100]!);
    const long = median(times[10_000]!);
    report({ bench: 'history', runs: RUNS, ours_ms_10000: round(long, 1), peer: '100 messages', peer_ms_100: round(short, 1), ratio: round(long / short) });
  } finally {
    await browser.close();
    await host.stop();
  }
}
