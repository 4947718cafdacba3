// A 300 MB HTML body, generated into a file at test time and streamed through ingest into a
// real SQLite store: stored with a problem and its first 1 MB, in bounded memory, and too large
// for Show the whole message. Alone in its file, so the process's memory is this test's own.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { PARSE_LIMITS, WHOLE_TEXT_LIMIT } from '../../main/mail/parse-limits';
import { openServices, type Services } from '../../main/services';
import { OFFLINE_CHANNEL } from '../support/config-file';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const MB = 1024 * 1024;
const BODY = 300 * MB;
const RSS_LIMIT = 150 * MB;
const temp = tempDir('postdesk-parse-huge-');
const file = path.join(temp.dir, 'huge.eml');
let services: Services;

beforeAll(async () => {
  // A separate process writes it, so the test's own memory stays as it was for the measurement.
  const head = ['From: Client <client@example.test>', 'To: operator@example.test', 'Subject: the whole archive', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', '<html><body>', ''].join('\r\n');
  const row = '<p>Row of the archive with <b>bold</b> words and a <a href="https://example.test/">link</a>.</p>\r';
  // (No pipefail: yes ends by SIGPIPE once head has enough.)
  const script = 'set -eu\n{ printf "%s" "$HEAD"; yes "$ROW" | head -c "$SIZE"; printf "<p id=end>THE END</p></body></html>\\r\\n"; } > "$OUT"';
  await run('bash', ['-c', script], { env: { ...process.env, HEAD: head, ROW: row, SIZE: String(BODY), OUT: file } });
  services = await openServices({ config: configWith({ channels: [OFFLINE_CHANNEL] }), dataDir: path.join(temp.dir, 'data'), lang: 'en', version: 'test', startMail: false });
}, 120_000);
afterAll(async () => {
  await services?.close();
  temp.cleanup();
});

describe('a 300 MB HTML body through ingest', () => {
  it('is stored with a problem and 1 MB of its HTML, in bounded memory; the whole of it is too large to show', async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let id: number | null;
    try {
      id = await services.ingest.ingest(OFFLINE_CHANNEL.id, createReadStream(file));
    } finally {
      clearInterval(timer);
    }
    const growth = peak - baseline;
    console.log(`RSS growth while storing a 300 MB HTML body: ${(growth / MB).toFixed(1)} MB`);

    const message = services.messages.get(id!)!;
    expect(message.subject).toBe('the whole archive');
    expect(message.bodyTruncated).toBe(true);
    expect(message.problems).toEqual(['the message text is larger than 1 MB; only the first 1 MB of it is kept for display (the whole text is in the original message)']);
    expect(message.html!.length).toBeLessThanOrEqual(PARSE_LIMITS.displayText);
    expect(message.html!.startsWith('<html><body>\n<p>Row of the archive')).toBe(true);
    expect(message.hasOriginal).toBe(true);
    expect(growth).toBeLessThan(RSS_LIMIT);

    expect(await services.wholeText.read(id!)).toEqual({ html: null, text: null, tooLarge: true, limit: WHOLE_TEXT_LIMIT });
  }, 300_000);
});
