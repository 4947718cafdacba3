import { readFileSync } from 'node:fs';
import path from 'node:path';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { htmlMailWithLogo } from '../support/mail-builder';
import { deliverLmtp } from '../support/dovecot';
import { expect, test } from './fixtures';
import { PNG } from '../support/sample-files';


test('HTML mail is shown sanitized: no scripts or forms, inline images in place, remote images only on request', async ({ postdesk, mail, workdir }) => {
  const html = `<p id="greeting">Hello from the client</p>
    <script>window.__pwned = 1</script>
    <img src="x" onerror="window.__pwned = 2">
    <form action="https://evil.example/"><input name="password"><button>Send</button></form>
    <p><img alt="inline logo" src="cid:logo@client"></p>
    <p><img alt="tracker" src="https://tracker.invalid/pixel.png"></p>
    <a href="javascript:window.__pwned=3">click</a>`;
  const raw = await htmlMailWithLogo({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, html, logo: PNG });
  await deliverLmtp(mail.dovecot, OPERATOR.address, raw);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const message = page.getByRole('article');
  await expect(message.getByText('Hello from the client')).toBeVisible();
  await expect(message.locator('script, form, input, iframe')).toHaveCount(0);
  await expect(message.getByRole('img', { name: 'inline logo' })).toHaveJSProperty('naturalWidth', 2);
  const tracker = message.getByRole('img', { name: 'tracker' });
  await expect(tracker).not.toHaveAttribute('src', /.+/);
  await expect(message.locator('a', { hasText: 'click' })).not.toHaveAttribute('href', /javascript:/);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  await message.getByRole('button', { name: 'Show images' }).click();
  // Postdesk fetches it for the page (the page itself never contacts another host): the browser host's /files/ route, the desktop app's own scheme.
  const ownRoute = desk.driver === 'browser' ? '\\/files\\/' : 'postdesk-file:\\/\\/';
  await expect(message.getByRole('img', { name: 'tracker' })).toHaveAttribute('src', new RegExp(`^${ownRoute}message\\/\\d+\\/image\\/https%3A%2F%2Ftracker\\.invalid%2Fpixel\\.png$`));
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a malformed message says what went wrong and its original can be saved byte for byte', async ({ postdesk, mail, workdir }) => {
  const raw = Buffer.from(
    [
      `From: Иванов Иван <${CLIENT.address}>`,
      `To: ${OPERATOR.address}`,
      'Subject: Broken scan',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The scan is attached.',
      '--b1',
      'Content-Type: application/pdf; name="scan.pdf"',
      'Content-Disposition: attachment; filename="scan.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0Zpb',
      '',
    ].join('\r\n'),
  );
  await deliverLmtp(mail.dovecot, OPERATOR.address, raw);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const note = page.getByRole('note');
  await expect(note).toContainText('not quite well-formed');
  const download = desk.nextSave();
  await note.getByRole('button', { name: 'Save original' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Broken scan.eml');
  const saved = path.join(workdir, 'original.eml');
  await file.saveAs(saved);
  // Dovecot adds its own trace headers on delivery; everything the client sent is there unchanged.
  expect(readFileSync(saved).includes(raw)).toBe(true);
});
