// The browser host serves only its own page: another page opened in the same browser (any
// other port of 127.0.0.1 is the same site, so it gets the session cookie) cannot make it do
// anything, a request with a forged Origin is refused even with the cookie, and a link works once.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { channelFor, writeConfig } from '../support/config-file';
import { recordingOpener, startHost, type RunningHost } from '../support/web-host';
import { browserOnly, expect, test } from './fixtures';

// The browser host's own door: the desktop app has no HTTP server, links or cookies.
const DOOR = browserOnly('the browser host\'s HTTP door, one-time links and session cookie: the desktop app has none');

/** A client with one active conversation and a reply draft, in the data dir before the host starts. */
async function seed(config: string, dataDir: string): Promise<{ conversationId: number; draftId: number }> {
  const services = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  const client = services.clients.create({ name: 'Иванов Иван', email: 'ivan@example.test' });
  const conversationId = services.conversations.ensure(client.id, 'support');
  const draftId = services.drafts.open(conversationId).id;
  await services.close();
  return { conversationId, draftId };
}

/**
 * Every way a page can send a POST to another origin without reading the answer, aimed at the
 * host: what the issue found (text/plain), JSON with and without our header (both need a
 * preflight), a form, a beacon, an upload, the event stream and a file read.
 */
function attackerPage(target: string, ids: { conversationId: number; draftId: number }): string {
  const complete = JSON.stringify({ input: { id: ids.conversationId } });
  const rewrite = JSON.stringify({ input: { draftId: ids.draftId, text: 'written by another page' } });
  return `<!doctype html><meta charset="utf-8"><title>another page</title>
<iframe name="sink"></iframe>
<form id="form" method="post" enctype="text/plain" target="sink" action="${target}/api/conversations.complete">
  <input name='{"input":{"id":${ids.conversationId}},"x":"' value='"}'>
</form>
<script>
const target = ${JSON.stringify(target)};
const attempt = (promise) => promise.then((r) => 'answered ' + r.type, (e) => 'failed: ' + e.message);
window.outcomes = (async () => {
  const out = [];
  out.push(await attempt(fetch(target + '/api/conversations.complete', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(complete)} })));
  out.push(await attempt(fetch(target + '/api/conversations.complete', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(complete)} })));
  out.push(await attempt(fetch(target + '/api/conversations.complete', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Postdesk': '1' }, body: ${JSON.stringify(complete)} })));
  out.push(await attempt(fetch(target + '/api/drafts.update', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(rewrite)} })));
  out.push(await attempt(fetch(target + '/upload/draft/${ids.draftId}', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '%PDF-1.4 from another page' })));
  out.push(await attempt(fetch(target + '/files/1', { mode: 'no-cors', credentials: 'include' })));
  out.push(navigator.sendBeacon(target + '/api/conversations.complete', new Blob([${JSON.stringify(complete)}], { type: 'text/plain' })) ? 'beacon queued' : 'beacon refused');
  out.push(await new Promise((resolve) => {
    const events = new EventSource(target + '/api/events', { withCredentials: true });
    events.onopen = () => { events.close(); resolve('events opened'); };
    events.onerror = () => { events.close(); resolve('events failed'); };
  }));
  document.getElementById('form').submit();
  return out;
})();
</script>`;
}

async function serveAttacker(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

test.describe('the browser host and other pages', DOOR, () => {
  let host: RunningHost;
  let ids: { conversationId: number; draftId: number };

  test.beforeEach(async ({ mail, workdir }) => {
    const config = writeConfig(workdir, { channels: [channelFor(mail)] });
    const dataDir = path.join(workdir, 'data');
    ids = await seed(config, dataDir);
    host = await startHost({ config, dataDir, lang: 'en' });
  });
  test.afterEach(async () => host.stop());

  test('a page on another 127.0.0.1 port in the same browser cannot complete, rewrite, upload, read or listen', async ({ page }) => {
    await page.goto(host.url);
    await expect(page.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();

    const attacker = await serveAttacker(attackerPage(host.origin, ids));
    try {
      const other = await page.context().newPage();
      // What the host answered each request, preflights and blocked answers included, as
      // Chromium's network layer saw it (the page itself is shown none of it).
      const cdp = await page.context().newCDPSession(other);
      await cdp.send('Network.enable');
      const sent = new Map<string, string>();
      const statuses = new Map<string, number>();
      cdp.on('Network.requestWillBeSent', (e) => {
        if (e.request.url.startsWith(host.origin)) sent.set(e.requestId, `${e.request.method} ${new URL(e.request.url).pathname}`);
      });
      cdp.on('Network.responseReceivedExtraInfo', (e) => statuses.set(e.requestId, e.statusCode));
      const answered = () => [...sent].map(([id, request]) => `${request} → ${statuses.get(id) ?? 'never sent'}`).sort();

      await other.goto(attacker.url);
      const outcomes = await other.evaluate(() => (globalThis as unknown as { outcomes: Promise<string[]> }).outcomes);
      // Each fetch fails in the page: the answers are refusals the page may not even see
      // (Cross-Origin-Resource-Policy), and a JSON call never gets past its refused preflight.
      expect(outcomes).toEqual([...Array(6).fill('failed: Failed to fetch'), 'beacon queued', 'events failed']);
      await expect
        .poll(answered)
        .toEqual(
          [
            'POST /api/conversations.complete → 403', // text/plain, as the issue found
            'OPTIONS /api/conversations.complete → 403', // application/json: the preflight is refused…
            'POST /api/conversations.complete → never sent', // …so the call never leaves the browser
            'OPTIONS /api/conversations.complete → 403', // the same with our X-Postdesk header
            'POST /api/conversations.complete → never sent',
            'POST /api/drafts.update → 403',
            `POST /upload/draft/${ids.draftId} → 403`,
            'GET /files/1 → 403',
            'POST /api/conversations.complete → 403', // the beacon
            'GET /api/events → 403',
            'POST /api/conversations.complete → 403', // the form
          ].sort(),
        );
      await other.close();
    } finally {
      attacker.server.close();
    }

    // Nothing changed, as the app itself shows it.
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
    await page.getByRole('button', { name: /Иванов Иван/ }).click();
    await expect(page.getByRole('form', { name: 'Reply' }).getByRole('textbox', { name: 'Message' })).toHaveValue('');
    await expect(page.getByRole('form', { name: 'Reply' }).getByRole('list', { name: 'Attachments' })).toHaveCount(0);
    await page.getByRole('tab', { name: 'Completed' }).click();
    await expect(page.getByText('No completed conversations.')).toBeVisible();
  });

  test('with the session cookie, a forged Origin, foreign fetch metadata, text/plain or a missing X-Postdesk header is refused; our page’s own call is not', async ({ page }) => {
    await page.goto(host.url);
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
    const url = `${host.origin}/api/conversations.complete`;
    const data = JSON.stringify({ input: { id: ids.conversationId } });
    const ours = { 'Content-Type': 'application/json', 'X-Postdesk': '1' };
    const forged: Array<Record<string, string>> = [
      { ...ours, Origin: 'http://127.0.0.1:1' },
      { ...ours, Origin: 'null' },
      { ...ours, Origin: `${host.origin}.evil.test` },
      { ...ours, 'Sec-Fetch-Site': 'same-site' },
      { ...ours, 'Sec-Fetch-Site': 'cross-site' },
      { ...ours, 'Sec-Fetch-Site': 'none' },
      { 'Content-Type': 'text/plain', 'X-Postdesk': '1' },
      { 'Content-Type': 'application/json' },
      { 'Content-Type': 'application/json', 'X-Postdesk': '0' },
    ];
    for (const headers of forged) {
      // page.request shares the browser context's cookies: these carry the operator's session.
      const answer = await page.request.post(url, { headers, data });
      expect(answer.status(), JSON.stringify(headers)).toBe(403);
      expect(await answer.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();

    // The same call with what our page sends goes through, so what was refused was the forgery alone.
    const own = await page.request.post(url, { headers: { ...ours, Origin: host.origin, 'Sec-Fetch-Site': 'same-origin' }, data });
    expect(own.status()).toBe(200);
    await page.reload();
    await expect(page.getByText('No active conversations.')).toBeVisible();
    await page.getByRole('tab', { name: 'Completed' }).click();
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
  });

  test('a link opens the page once: used again it opens nothing (401), and a fresh one comes from the host’s terminal', async ({ page, browser, request }) => {
    await page.goto(host.url);
    await expect(page).toHaveURL(`${host.origin}/`);
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();

    const reused = await request.get(host.url, { maxRedirects: 0 });
    expect(reused.status()).toBe(401);
    expect(reused.headers()['set-cookie']).toBeUndefined();

    const second = await browser.newContext();
    try {
      const other = await second.newPage();
      await other.goto(host.url);
      await expect(other.getByText(/each link Postdesk prints opens it once/)).toBeVisible();
      await expect(other.getByRole('button', { name: /Иванов Иван/ })).toHaveCount(0);

      const fresh = await host.newLink();
      expect(fresh).not.toBe(host.url);
      await other.goto(fresh);
      await expect(other).toHaveURL(`${host.origin}/`);
      await expect(other.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
      expect((await request.get(fresh, { maxRedirects: 0 })).status()).toBe(401);
    } finally {
      await second.close();
    }
    // The first browser keeps its session.
    await page.reload();
    await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
  });
});

test('the system browser is opened on a private file that redirects to the page, and the file goes once it is used', DOOR, async ({ page, request, mail, workdir }) => {
  const opener = recordingOpener(workdir);
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const host = await startHost({ config, dataDir: path.join(workdir, 'data'), lang: 'en', open: true, env: opener.env });
  try {
    await expect.poll(opener.args).not.toBeNull();
    const [file] = opener.args()!;
    expect(file).not.toContain(new URL(host.url).searchParams.get('token'));
    // What the system browser does with it: the file sends it on to the page, which takes the link.
    await page.goto(pathToFileURL(file!).href);
    await expect(page).toHaveURL(`${host.origin}/`);
    await expect(page.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => existsSync(file!)).toBe(false);
    // The printed link was the one in the file: spent now.
    expect((await request.get(host.url, { maxRedirects: 0 })).status()).toBe(401);
  } finally {
    await host.stop();
  }
});
