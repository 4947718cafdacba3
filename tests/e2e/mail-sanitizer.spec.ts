// The mail sanitizer in the engine that runs it (Chromium: its HTML and CSS parsers are the ones
// whose reading matters), fed each form of remote content as HTML. Before consent no URL-bearing
// attribute, style or rule may survive, and the mounted message may make no request at all;
// after consent only <img> elements point at the (stand-in) route of consented images.
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { MailHarness, MailOutcome } from '../support/mail-outcome';

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

/** Every form the issue names (and more), each pointing at the remote host. `image`: loads after consent, as an <img>. */
const FORMS: Array<{ name: string; html: string; image?: string[] }> = [
  { name: 'img src', html: `<img alt="a" src="${R}/img.png">`, image: [`${R}/img.png`] },
  { name: 'img src with spaces around it', html: `<img alt="a" src="  ${R}/spaced.png  ">`, image: [`${R}/spaced.png`] },
  { name: 'img src written with entities', html: `<img alt="a" src="https:&#x2F;&#x2F;remote.test/entity.png">`, image: [`${R}/entity.png`] },
  { name: 'the legacy <image> tag (parsed as img)', html: `<image src="${R}/image-tag.png">`, image: [`${R}/image-tag.png`] },
  { name: 'img srcset and sizes', html: `<img alt="a" srcset="${R}/srcset.png 1x, ${R}/srcset2.png 2x" sizes="100vw">` },
  { name: 'picture and source', html: `<picture><source srcset="${R}/source.png" type="image/png"><source srcset="${R}/source.webp"><img alt="p" src="${R}/picture-img.png"></picture>`, image: [`${R}/picture-img.png`] },
  { name: 'video poster, src, source, track', html: `<video poster="${R}/poster.png" src="${R}/video.mp4" autoplay><source src="${R}/source.mp4"><track src="${R}/track.vtt" default>fallback</video>` },
  { name: 'audio src and source', html: `<audio src="${R}/audio.mp3" autoplay><source src="${R}/source.ogg"></audio>` },
  { name: 'background on table, td and body', html: `<table background="${R}/table-bg.png"><tr><td background="${R}/td-bg.png">x</td></tr></table><body background="${R}/body-bg.png">` },
  { name: 'a full document with body background and head style', html: `<html><head><style>p { background: url(${R}/head-style.png) }</style><link rel="stylesheet" href="${R}/head-link.css"></head><body background="${R}/doc-body-bg.png"><p>x</p></body></html>` },
  { name: 'CSS url() in a style attribute', html: `<div style="background-image: url(${R}/style-attr.png); color: red">x</div>` },
  { name: 'CSS url() written with escapes', html: `<div style="background: u\\72l(${R}/escaped.png) red">x</div>` },
  { name: 'CSS url() with quotes and several layers', html: `<div style="background: url('${R}/one.png'), url(&quot;${R}/two.png&quot;)">x</div>` },
  { name: 'CSS image-set() and -webkit-image-set()', html: `<div style="background-image: image-set('${R}/set.png' 1x); content: -webkit-image-set(url(${R}/wset.png) 1x)">x</div>` },
  { name: 'CSS cursor, list-style, border-image, mask, content, shape-outside, filter', html: `<ul style="cursor: url(${R}/cursor.png), auto; list-style-image: url(${R}/list.png); border-image: url(${R}/border.png) 30; mask-image: url(${R}/mask.png); -webkit-mask-image: url(${R}/wmask.png); shape-outside: url(${R}/shape.png); filter: url(${R}/filter.svg#f)"><li>x</li></ul><p style="content: url(${R}/content.png)">y</p>` },
  { name: 'a custom property carrying url() into var()', html: `<div style="--bg: url(${R}/var.png); background-image: var(--bg)">x</div>` },
  { name: '<style> with url()', html: `<style>.x { background: url(${R}/style-el.png) } .x::before { content: url(${R}/before.png) }</style><p class="x">x</p>` },
  { name: '<style> @import in both forms', html: `<style>@import url(${R}/import.css); @import "${R}/import2.css"; p { color: red }</style><p>x</p>` },
  { name: '<style> @font-face', html: `<style>@font-face { font-family: F; src: url(${R}/font.woff2) } p { font-family: F }</style><p>x</p>` },
  { name: '<style> image-set() inside @media and @supports', html: `<style>@media screen { p { background-image: image-set(url(${R}/media.png) 1x) } } @supports (display: grid) { p { background: url(${R}/supports.png) } }</style><p>x</p>` },
  { name: '<style> @namespace, @keyframes and @layer', html: `<style>@namespace url(${R}/ns); @keyframes k { from { background: url(${R}/kf.png) } } @layer l { p { background: url(${R}/layer.png) } } p { animation: k 1s }</style><p>x</p>` },
  { name: '<style> nested rules', html: `<style>p { color: red; & span { background: url(${R}/nested.png) } }</style><p><span>x</span></p>` },
  { name: '<link> of every kind', html: `<link rel="stylesheet" href="${R}/link.css"><link rel="preload" as="image" href="${R}/preload.png"><link rel="prefetch" href="${R}/prefetch"><link rel="dns-prefetch" href="${R}/"><link rel="preconnect" href="${R}/"><link rel="icon" href="${R}/icon.png"><p>x</p>` },
  { name: 'object, embed, iframe, srcdoc, frame and frameset', html: `<object data="${R}/object.swf"><param name="movie" value="${R}/param.swf"></object><embed src="${R}/embed.swf"><iframe src="${R}/iframe.html"></iframe><iframe srcdoc="<img src='${R}/srcdoc.png'>"></iframe><frameset><frame src="${R}/frame.html"></frameset>` },
  { name: 'input type=image and forms', html: `<form action="${R}/form"><input type="image" src="${R}/input.png"><button formaction="${R}/formaction">Go</button><input name="p"></form>` },
  { name: 'SVG image, use, feImage, a and style', html: `<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image href="${R}/svg-image.png"/><image xlink:href="${R}/svg-xlink.png"/><use href="${R}/sprite.svg#i"/><filter id="f"><feImage href="${R}/feimage.png"/></filter><a href="${R}/svg-a"><text>t</text></a><style>@import url(${R}/svg-style.css)</style></svg>` },
  { name: 'MathML href', html: `<math href="${R}/math"><mi href="${R}/mi">x</mi></math>` },
  { name: 'meta refresh and other http-equiv', html: `<meta http-equiv="refresh" content="0; url=${R}/refresh"><meta http-equiv="Link" content="<${R}/meta-link.css>; rel=stylesheet"><p>x</p>` },
  { name: 'base href (relative URLs would resolve to the remote host)', html: `<base href="${R}/"><img alt="rel" src="relative.png"><a href="relative-link">l</a>` },
  { name: 'a ping and attributionsrc', html: `<a href="https://example.org/" ping="${R}/ping" attributionsrc="${R}/attribution">l</a><img alt="a" attributionsrc="${R}/img-attribution">` },
  { name: 'img lowsrc, dynsrc, longdesc', html: `<img alt="a" lowsrc="${R}/lowsrc.png" dynsrc="${R}/dynsrc.avi" longdesc="${R}/longdesc">` },
  { name: 'isindex, applet, bgsound, portal, marquee, keygen', html: `<isindex action="${R}/isindex"><applet code="A" codebase="${R}/applet/"></applet><bgsound src="${R}/bgsound.mid"><portal src="${R}/portal"></portal><marquee background="${R}/marquee.png">m</marquee>` },
  { name: 'area href and usemap', html: `<map name="m"><area shape="rect" coords="0,0,9,9" href="${R}/area"></map><img alt="map" usemap="#m">` },
  { name: 'noscript and template content', html: `<noscript><img alt="n" src="${R}/noscript.png"></noscript><template><img src="${R}/template.png"></template>` },
  { name: 'a protocol-relative image', html: `<img alt="a" src="//${REMOTE}/protocol-relative.png">` },
  { name: 'an http image (never shown)', html: `<img alt="a" src="http://${REMOTE}/insecure.png">` },
];

for (const form of FORMS) {
  test(`${form.name}: nothing before Show images, ${form.image ? 'then only the <img> from our route' : 'nor after'}`, async ({ page }) => {
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

test('remote images are counted: https ones wait for consent, http ones are never shown', async ({ page }) => {
  const html = `<img alt="1" src="${R}/a.png"><img alt="2" src="${R}/b.png"><img alt="3" src="http://${REMOTE}/c.png"><img alt="4" src="cid:logo@client">`;
  const before = (await run(page, html, false)).outcome;
  expect([before.blockedImages, before.insecureImages]).toEqual([2, 1]);
  const after = (await run(page, html, true)).outcome;
  expect([after.blockedImages, after.insecureImages]).toEqual([0, 1]);
  expect(after.imageSources).toEqual([CONSENTED + encodeURIComponent(`${R}/a.png`), CONSENTED + encodeURIComponent(`${R}/b.png`), '', 'data:image/png;base64,iVBORw0KGgo=']);
});

test('styles stay, on mail- names, without boxes over the app', async ({ page }) => {
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

test('links keep their target only as data; other schemes and relative links are inert text', async ({ page }) => {
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

test('no script runs, no handler stays, and the mail cannot pose as Postdesk controls', async ({ page }) => {
  const html = `<script>window.__pwned = 1</script><img alt="x" src="x" onerror="window.__pwned = 2">
    <p onclick="window.__pwned = 3" id="click">p</p><svg onload="window.__pwned = 4"></svg>
    <span role="button" aria-label="Send" tabindex="0">fake</span><details open ontoggle="window.__pwned = 5">d</details>
    <a href="https://example.org/" onfocus="window.__pwned = 6" autofocus>l</a>`;
  const { outcome } = await run(page, html, false);
  expect(outcome.html).not.toMatch(/script|onerror|onclick|onload|ontoggle|onfocus|role="button"|aria-label|autofocus/);
  await page.evaluate(() => (globalThis as unknown as InPage).mailHarness.harness.click('#mail-click'));
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
