// The mail sanitizer in the engine that runs it (Chromium: its HTML and CSS parsers are the ones
// whose reading matters), fed each form of remote content as HTML. Before consent no URL-bearing
// attribute, style or rule may survive, and the mounted message may make no request at all;
// after consent only <img> elements point at the (stand-in) route of consented images.
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import { browserOnly, expect, test } from './fixtures';

// The sanitizer alone in a blank page of the browser's own: there is no app to drive in Electron.
const ALONE = browserOnly('the sanitizer alone in a blank browser page, no app to open');
import type { MailHarness, MailOutcome } from '../support/mail-outcome';
import { remoteForms } from '../support/remote-forms';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REMOTE = 'remote.test';
/** What the stand-in remoteImageUrl makes of a consented image. */
const CONSENTED = 'https://consented.postdesk/';
const SENTINEL = 'https://sentinel.postdesk/done.png';

/** The harness as the page holds it (tests/dom/mail-harness.ts, bundled below). */
type InPage = { mailHarness: { harness: MailHarness } };

let bundle: string;
test.beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(ROOT, 'tests/dom/mail-harness.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'mailHarness',
    write: false,
  });
  bundle = result.outputFiles[0]!.text;
});

/** Sanitizes and mounts `html` in a blank page, and lists every request the page made meanwhile. */
async function run(page: Page, html: string, consent: boolean): Promise<{ outcome: MailOutcome; requests: string[] }> {
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.fulfill({ status: 204 });
  });
  await page.setContent('<!doctype html><html><body><div id="host"></div></body></html>');
  await page.addScriptTag({ content: bundle });
  const outcome = await page.evaluate(
    ([html, options]) => (globalThis as unknown as InPage).mailHarness.harness.run(html, options),
    [html, { consent, remoteHost: REMOTE, consented: CONSENTED }] as const,
  );
  // Let the page style, lay out and paint the message, then load one image of our own: requests
  // arrive in order, so once it is seen every request the message caused has been seen too.
  await page.evaluate(() => (globalThis as unknown as InPage).mailHarness.harness.settle());
  const sentinel = page.waitForRequest(SENTINEL);
  await page.evaluate((url) => (globalThis as unknown as InPage).mailHarness.harness.load(url), SENTINEL);
  await sentinel;
  return { outcome, requests: requests.filter((url) => url !== SENTINEL) };
}

const R = `https://${REMOTE}`;
const FORMS = remoteForms(R);

for (const form of FORMS) {
  test(`${form.name}: nothing before Show images, ${form.image ? 'then only the <img> from our route' : 'nor after'}`, ALONE, async ({ page }) => {
    const before = await run(page, form.html, false);
    expect(before.outcome.remoteAttributes).toEqual([]);
    expect(before.outcome.html).not.toContain(REMOTE);
    expect(before.outcome.inlineStyles.join(' ')).not.toContain(REMOTE);
    expect(before.outcome.css).not.toContain(REMOTE);
    expect(before.outcome.imageSources.filter((s) => s !== '' && !s.startsWith('data:'))).toEqual([]);
    expect(before.outcome.linkHrefs).toBe(0);
    expect(before.requests).toEqual([]);

    const after = await run(page, form.html, true);
    expect(after.outcome.remoteAttributes).toEqual([]);
    expect(after.outcome.inlineStyles.join(' ')).not.toContain(REMOTE);
    expect(after.outcome.css).not.toContain(REMOTE);
    const expected = (form.image ?? []).map((url) => CONSENTED + encodeURIComponent(url));
    expect(after.outcome.imageSources.filter((s) => s !== '' && !s.startsWith('data:'))).toEqual(expected);
    expect(after.requests).toEqual(expected);
  });
}

test('remote images are counted: https ones wait for consent, http ones are never shown', ALONE, async ({ page }) => {
  const html = `<img alt="1" src="${R}/a.png"><img alt="2" src="${R}/b.png"><img alt="3" src="http://${REMOTE}/c.png"><img alt="4" src="cid:logo@client">`;
  const before = (await run(page, html, false)).outcome;
  expect([before.blockedImages, before.insecureImages]).toEqual([[`${R}/a.png`, `${R}/b.png`], 1]);
  const after = (await run(page, html, true)).outcome;
  expect([after.blockedImages, after.insecureImages]).toEqual([[], 1]);
  expect(after.imageSources).toEqual([CONSENTED + encodeURIComponent(`${R}/a.png`), CONSENTED + encodeURIComponent(`${R}/b.png`), '', 'data:image/png;base64,iVBORw0KGgo=']);
});

test('styles stay, on mail- names, without boxes over the app', ALONE, async ({ page }) => {
  const html = `<style>
      .note, #main > p { color: rgb(1, 2, 3) }
      body { background-color: rgb(9, 9, 9) }
      .app, #root, .viewer-backdrop { position: fixed; inset: 0; z-index: 99999 }
      :host { display: none } ::slotted(p) { color: red }
    </style>
    <div id="main"><p class="note app">styled</p></div>
    <p class="viewer-backdrop" style="position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; z-index: 2147483647; color: rgb(4, 5, 6)">overlay</p>`;
  const { outcome } = await run(page, html, false);
  expect(outcome.css).toContain('.mail-note, #mail-main > p');
  expect(outcome.css).toContain('.postdesk-body');
  expect(outcome.css).not.toMatch(/fixed|:host|slotted/);
  expect(outcome.inlineStyles.join(' ')).not.toMatch(/fixed/);
  expect(outcome.html).toContain('class="mail-note mail-app"');
  expect(outcome.html).toContain('id="mail-main"');
  const computed = (selector: string, property: string) =>
    page.evaluate(([sel, prop]) => (globalThis as unknown as InPage).mailHarness.harness.computed(sel, prop), [selector, property] as const);
  const seen = {
    styled: await computed('.mail-note', 'color'),
    position: await computed('.mail-note', 'position'),
    overlay: await computed('.mail-viewer-backdrop', 'position'),
    overlayColor: await computed('.mail-viewer-backdrop', 'color'),
    body: await computed('.postdesk-body', 'background-color'),
    hostShown: await computed(':host', 'display'),
  };
  expect(seen).toEqual({ styled: 'rgb(1, 2, 3)', position: 'static', overlay: 'static', overlayColor: 'rgb(4, 5, 6)', body: 'rgb(9, 9, 9)', hostShown: 'block' });
});

test('links keep their target only as data; other schemes and relative links are inert text', ALONE, async ({ page }) => {
  const html = `<a href="https://bank.example/login">https</a> <a href="http://plain.example/">http</a>
    <a href="mailto:client@example.test">mail</a> <a href="javascript:alert(1)">js</a> <a href="JaVa&#x09;script:alert(1)">js2</a>
    <a href="data:text/html,<script>alert(1)</script>">data</a> <a href="file:///etc/passwd">file</a>
    <a href="postdesk-file://attachment/1">own</a> <a href="/api/drafts.send">relative</a> <a href="#top">anchor</a>
    <a href="https://bаnk.example/">idn</a>`;
  const { outcome } = await run(page, html, false);
  expect(outcome.linkHrefs).toBe(0);
  const links = await page.evaluate(() => (globalThis as unknown as InPage).mailHarness.harness.links());
  expect(links).toEqual([
    ['https', 'https://bank.example/login', 'link'],
    ['http', 'http://plain.example/', 'link'],
    ['mail', 'mailto:client@example.test', 'link'],
    ['js', null, null],
    ['js2', null, null],
    ['data', null, null],
    ['file', null, null],
    ['own', null, null],
    ['relative', null, null],
    ['anchor', null, null],
    ['idn', 'https://xn--bnk-6cd.example/', 'link'],
  ]);
});

test('no script runs, no handler stays, and the mail cannot pose as Postdesk controls', ALONE, async ({ page }) => {
  const html = `<script>window.__pwned = 1</script><img alt="x" src="x" onerror="window.__pwned = 2">
    <p onclick="window.__pwned = 3" id="click">p</p><svg onload="window.__pwned = 4"></svg>
    <span role="button" aria-label="Send" tabindex="0">fake</span><details open ontoggle="window.__pwned = 5">d</details>
    <a href="https://example.org/" onfocus="window.__pwned = 6" autofocus>l</a>`;
  const { outcome } = await run(page, html, false);
  expect(outcome.html).not.toMatch(/script|onerror|onclick|onload|ontoggle|onfocus|role="button"|aria-label|autofocus/);
  await page.evaluate(() => (globalThis as unknown as InPage).mailHarness.harness.click('#mail-click'));
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('mail selectors move to the mail- names, and nothing else in them changes', ALONE, async ({ page }) => {
  const html = `<style>:not(.a) > #b, td.c[title=".d #e"], .\\31 23, p:is(.f, #g) a:hover, tbody td, body > .h, html body p { color: red }</style><p>x</p>`;
  const { outcome } = await run(page, html, false);
  expect(outcome.css).toBe(
    ':not(.mail-a) > #mail-b, td.mail-c[title=".d #e"], .mail-123, p:is(.mail-f, #mail-g) a:hover, tbody td, .postdesk-body > .mail-h, .postdesk-body .postdesk-body p { color: red; }',
  );
});
