// A hostile HTML mail through the whole app: real Dovecot, Postdesk through either driver. Its
// remote content points at an HTTPS server of the test's own that records every contact; the
// host trusts that server's certificate (NODE_EXTRA_CA_CERTS), and so does the browser context
// (ignoreHTTPSErrors), so that a load the page should never make would succeed and be seen.
import path from 'node:path';
import { channelFor, CLIENT, OPERATOR, writeConfig, type MailServers } from '../support/config-file';
import { htmlMailWithLogo } from '../support/mail-builder';
import { deliverLmtp, type Dovecot } from '../support/dovecot';
import { startHttpsRecorder, type HttpsRecorder } from '../support/https-recorder';
import { remoteForms } from '../support/remote-forms';
import { PNG } from '../support/sample-files';
import type { Desk, Postdesk } from './driver';
import { browserOnly, expect, test } from './fixtures';

test.use({ ignoreHTTPSErrors: true });

let recorder: HttpsRecorder;
test.beforeEach(async () => {
  recorder = await startHttpsRecorder();
});
test.afterEach(async () => {
  // Where the electron project skips, no beforeEach ran: nothing to stop.
  if (test.info().status !== 'skipped') await recorder.stop();
});

async function openMail(postdesk: Postdesk, mail: MailServers & { dovecot: Dovecot }, workdir: string, html: string): Promise<Desk> {
  const raw = await htmlMailWithLogo({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, html, logo: PNG });
  await deliverLmtp(mail.dovecot, OPERATOR.address, raw);
  const desk = await postdesk.open({
    config: writeConfig(workdir, { channels: [channelFor(mail)] }),
    dataDir: path.join(workdir, 'data'),
    env: { NODE_EXTRA_CA_CERTS: recorder.certFile },
  });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  // The inline image is drawn: the message is in the page, styled and laid out.
  await expect(page.getByRole('article').getByRole('img', { name: 'inline logo' })).toHaveJSProperty('naturalWidth', 2);
  // Page-side snippets as strings: this project's tests compile without the DOM's types.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  return desk;
}

const INLINE_LOGO = '<p><img alt="inline logo" src="cid:logo@client"></p>';

test('a mail with every form of remote content contacts no host before Show images, and after it only its https images load, fetched by Postdesk', async ({ postdesk, mail, workdir }) => {
  const forms = remoteForms(recorder.origin);
  const html = `<p>Hello from the client</p>${INLINE_LOGO}${forms.map((f) => `<div>${f.html}</div>`).join('\n')}`;
  const { page } = await openMail(postdesk, mail, workdir, html);
  const message = page.getByRole('article');
  await expect(message.getByText('Hello from the client')).toBeVisible();
  expect(recorder.connections).toBe(0);
  expect(recorder.hits).toEqual([]);
  await expect(message.getByText('Images over unencrypted http are not shown: 1.')).toBeVisible();

  await message.getByRole('button', { name: 'Show images' }).click();
  const images = forms.flatMap((f) => f.image ?? []).map((url) => url.slice(recorder.origin.length));
  await expect.poll(() => recorder.hits.map((h) => h.path).sort()).toEqual([...images].sort());
  // Drawn in the page, from our own route: the page never talked to the remote host itself.
  const shown = message.locator('img[src*="/image/"]');
  await expect(shown).toHaveCount(images.length);
  for (const image of await shown.all()) await expect(image).toHaveJSProperty('naturalWidth', 2);
  for (const hit of recorder.hits) {
    expect(hit.headers['user-agent']).toBe('Postdesk');
    expect(hit.headers.referer).toBeUndefined();
    expect(hit.headers.cookie).toBeUndefined();
  }
  await expect(message.getByRole('button', { name: 'Show images' })).toHaveCount(0);
});

test('a mail whose classes and ids are the app’s own shows nothing over the app', async ({ postdesk, mail, workdir }) => {
  const html = `<style>.app, #root, .viewer-backdrop, .dialog { position: fixed; inset: 0; z-index: 99999; background: red }</style>
    ${INLINE_LOGO}
    <div id="root" class="viewer-backdrop app dialog" style="position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; z-index: 2147483647; background: red">Overlay text</div>
    <div style="position: absolute; top: -2000px; left: -2000px; width: 5000px; height: 5000px; background: blue">Escape text</div>`;
  const { page } = await openMail(postdesk, mail, workdir, html);
  const message = page.getByRole('article');
  await expect(message.getByText('Overlay text')).toBeVisible();
  // The app's own root is still the only #root; the mail's is renamed and inside the message.
  await expect(page.locator('#root')).toHaveCount(1);
  await expect(message.locator('#mail-root')).toHaveClass('mail-viewer-backdrop mail-app mail-dialog');
  // Whatever the mail draws stays inside its message: the app's header and list take clicks.
  const article = (await message.boundingBox())!;
  const overlay = (await message.getByText('Overlay text').boundingBox())!;
  expect(overlay.y).toBeGreaterThanOrEqual(article.y);
  expect(overlay.y + overlay.height).toBeLessThanOrEqual(article.y + article.height);
  expect(await page.evaluate("document.elementFromPoint(5, 5)?.closest('.app-header') !== null")).toBe(true);
  expect(await page.evaluate("document.elementFromPoint(innerWidth - 5, innerHeight - 5)?.closest('.composer') !== null")).toBe(true);
  await page.getByRole('searchbox', { name: 'Search clients' }).click({ timeout: 5_000 });
  await page.getByRole('tab', { name: 'Completed' }).click({ timeout: 5_000 });
});

test(
  'a click on a mail link shows where it really goes and opens it only on request, in a new tab, without navigating the app',
  browserOnly('the desktop app hands an opened link to the system browser (shell.openExternal, tests/unit/electron-shell.test.ts), not a tab Playwright sees'),
  async ({ postdesk, mail, workdir }) => {
    const landing = `${recorder.origin}/landing`;
    const html = `${INLINE_LOGO}
      <p><a href="${landing}">https://bank.example</a></p>
      <p><a href="javascript:window.__pwned = 1">run me</a> <a href="/api/drafts.send">relative</a></p>
      <p><a href="http://plain.example/">plain</a></p>
      <p><a href="https://bаnk.example/">IDN bank</a></p>`;
    const { page, context } = await openMail(postdesk, mail, workdir, html);
    const appUrl = page.url();
    let navigations = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
    const message = page.getByRole('article');
    const dialog = page.getByRole('dialog', { name: 'Open this link?' });

    await message.getByRole('link', { name: 'https://bank.example' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('dd')).toHaveText([landing, '127.0.0.1', 'https://bank.example']);
    await expect(dialog).toContainText('The link text names bank.example, but the link leads to 127.0.0.1.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(recorder.connections).toBe(0);

    await message.getByRole('link', { name: 'https://bank.example' }).focus();
    await page.keyboard.press('Enter');
    const popup = context.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Open link' }).click();
    const tab = await popup;
    await tab.waitForLoadState();
    expect(tab.url()).toBe(landing);
    expect(await tab.evaluate('window.opener')).toBeNull();
    expect(recorder.hits.map((h) => h.path)).toEqual(['/landing']);
    expect(recorder.hits[0]!.headers.referer).toBeUndefined();
    await tab.close();
    await expect(dialog).toBeHidden();

    // Other schemes and relative links are plain text: nothing to click.
    await expect(message.getByRole('link', { name: 'run me' })).toHaveCount(0);
    await expect(message.getByRole('link', { name: 'relative' })).toHaveCount(0);
    await message.getByText('run me').click();
    await message.getByText('relative').click();
    await expect(dialog).toBeHidden();

    await message.getByRole('link', { name: 'plain' }).click();
    await expect(dialog).toContainText('This link is not encrypted (http)');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await message.getByRole('link', { name: 'IDN bank' }).click();
    await expect(dialog.locator('dd').nth(1)).toHaveText('xn--bnk-6cd.example');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    expect(page.url()).toBe(appUrl);
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  },
);
