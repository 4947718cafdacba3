// The viewer as an operator uses it on a client's mail delivered into a real Dovecot: what it
// shows of each kind of file, how it moves between them, and that every control stays readable.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { build } from 'esbuild';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import type { ControlContrast } from '../support/contrast-outcome';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { docxOf, docxPicture, JPEG, pdfOf, PNG, RTF } from '../support/sample-files';
import type { Desk } from './driver';
import { expect, test } from './fixtures';

/** A client's contract: a heading, a paragraph with a link, and the stamp as a picture. */
const CONTRACT = docxOf(
  '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Договор поставки №5</w:t></w:r></w:p>' +
    '<w:p><w:r><w:t xml:space="preserve">Условия оплаты — на </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>сайте поставщика</w:t></w:r></w:hyperlink></w:p>' +
    docxPicture('rId5', 'Печать организации'),
  [{ name: 'word/media/stamp.png', content: PNG }],
  { rId5: 'media/stamp.png', rId9: 'https://supplier.example/terms' },
);

/** A bank statement of eight A4 pages: a screen shows one at a time. */
const STATEMENT = pdfOf(Array.from({ length: 8 }, (_, i) => `Statement page ${i + 1} of 8`));

/**
 * Where a PDF's script would show that it ran, if anything ran it: an alert, a new window
 * (app.launchURL) or a request to this address.
 */
const SCRIPT_TARGET = 'http://127.0.0.1:9/postdesk-script-ran';
const SCRIPTED = pdfOf(['Invoice with a script'], { script: `app.alert('The script ran'); app.launchURL('${SCRIPT_TARGET}', true);` });

// In the order the client attached them; the RTF is the one kind the viewer does not show.
const FILES = [
  { filename: 'Фото склада.png', content: PNG, contentType: 'image/png' },
  { filename: 'Договор.docx', content: CONTRACT, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { filename: 'terms.rtf', content: RTF, contentType: 'application/rtf' },
  { filename: 'Выписка.pdf', content: STATEMENT, contentType: 'application/pdf' },
  // As many mail programs send a PDF: the extension says what it is.
  { filename: 'invoice.pdf', content: SCRIPTED, contentType: 'application/octet-stream' },
  { filename: 'second.jpg', content: JPEG, contentType: 'image/jpeg' },
];

let desk: Desk;

/** tests/dom/contrast.ts, bundled for the page. */
let contrastProbe: string;
test.beforeAll(async () => {
  const result = await build({ entryPoints: [path.join(import.meta.dirname, '../dom/contrast.ts')], bundle: true, format: 'iife', globalName: 'contrastProbe', write: false });
  contrastProbe = result.outputFiles[0]!.text;
});

/** The contrast of every control and text in `part`, measured in the page (DevTools' evaluation is not bound by the page's CSP). */
async function contrastsIn(page: Page, part: Locator): Promise<ControlContrast[]> {
  await page.evaluate(contrastProbe);
  return part.evaluate((element) => (globalThis as unknown as { contrastProbe: { contrastsOf(e: unknown): ControlContrast[] } }).contrastProbe.contrastsOf(element));
}

test.beforeEach(async ({ postdesk, mail, workdir }) => {
  const message = await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Documents', text: 'Files attached.', attachments: FILES });
  await deliverLmtp(mail.dovecot, OPERATOR.address, message);
  desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang: 'en' });
});

/** Opens the client's conversation (once), then the file. */
async function openFile(page: Page, name: string) {
  const conversation = page.getByRole('button', { name: /Иванов Иван/ });
  if ((await conversation.getAttribute('aria-current')) !== 'true') await conversation.click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  return page.getByRole('dialog', { name });
}

test('every control of the viewer reads at a contrast of 4.5:1 or more, whatever it shows', async () => {
  const { page } = desk;
  const shown = {
    'Фото склада.png': (viewer: Locator) => viewer.getByRole('img', { name: 'Фото склада.png' }),
    'Договор.docx': (viewer: Locator) => viewer.getByRole('heading', { name: 'Договор поставки №5' }),
    'Выписка.pdf': (viewer: Locator) => viewer.getByRole('img', { name: 'Page 1' }),
    'terms.rtf': (viewer: Locator) => viewer.getByRole('button', { name: 'Download terms.rtf' }),
  };
  const low: Array<ControlContrast & { file: string }> = [];
  const controls = new Set<string>();
  for (const [name, content] of Object.entries(shown)) {
    if (name === 'terms.rtf') await page.keyboard.press('Escape');
    const viewer = name === 'Фото склада.png' || name === 'terms.rtf' ? await openFile(page, name) : page.getByRole('dialog', { name });
    await expect(content(viewer)).toBeVisible();
    for (const measured of await contrastsIn(page, viewer)) {
      controls.add(measured.control);
      if (measured.ratio < 4.5) low.push({ ...measured, file: name });
    }
    await page.keyboard.press('ArrowRight');
  }
  // The toolbar's seven controls, the PDF's page controls, the messages and Download: all were measured.
  for (const control of ['Previous file', 'Next file', 'Zoom out', 'Zoom in', 'Fit to window', 'Download', 'Close', 'Previous page', 'Next page', 'Page 1 of 8', 'Download terms.rtf']) {
    expect(controls).toContain(control);
  }
  expect(low).toEqual([]);
});

test('a PDF shows page by page, and only the pages near the one in view are drawn', async () => {
  const { page } = desk;
  const cspViolations: string[] = [];
  page.on('console', (message) => message.text().includes('Content Security Policy') && cspViolations.push(message.text()));
  const viewer = await openFile(page, 'Выписка.pdf');
  const pages = viewer.getByRole('region', { name: 'Pages of Выписка.pdf' });
  /** The indicator names page n, and page n is drawn, its text in view. */
  const onPage = async (n: number) => {
    await expect(viewer.getByRole('status')).toHaveText(`Page ${n} of 8`);
    await expect(pages.getByRole('img', { name: `Page ${n}` })).toBeVisible();
    await expect(pages.getByText(`Statement page ${n} of 8`)).toBeInViewport();
  };
  /** At the first or the last page: no farther to go that way, and the page at the other end is not drawn (a few near this one are). */
  const atEnd = async (n: number, farther: string, otherEnd: number) => {
    await onPage(n);
    await expect(viewer.getByRole('button', { name: farther })).toBeDisabled();
    await expect(pages.getByRole('img', { name: `Page ${otherEnd}` })).toHaveCount(0);
    expect(await pages.getByRole('img').count()).toBeLessThanOrEqual(3);
  };

  // Page 8 is far below: not drawn yet.
  await atEnd(1, 'Previous page', 8);
  await viewer.getByRole('button', { name: 'Next page' }).click();
  await onPage(2);
  for (let n = 3; n <= 8; n++) await viewer.getByRole('button', { name: 'Next page' }).click();
  // Page 1 is far above now: its canvas was given back.
  await atEnd(8, 'Next page', 1);

  await viewer.getByRole('button', { name: 'Previous page' }).click();
  await onPage(7);
  // Zoomed in, the page is drawn larger and stays the one in view.
  const widthOf = async () => (await pages.getByRole('img', { name: 'Page 7' }).boundingBox())!.width;
  const fitted = await widthOf();
  await viewer.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(widthOf).toBeGreaterThan(fitted * 1.4);
  await onPage(7);
  // pdf.js ran under the page's own CSP, worker and fonts included, without being refused anything.
  expect(cspViolations).toEqual([]);
});

test('the JavaScript in a PDF does not run: not on opening, not from its link', async () => {
  const { page, context } = desk;
  const ran: string[] = [];
  page.on('dialog', (dialog) => {
    ran.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  context.on('page', (opened) => ran.push(`window: ${opened.url()}`));
  context.on('request', (request) => request.url().startsWith(SCRIPT_TARGET) && ran.push(`request: ${request.url()}`));
  const viewer = await openFile(page, 'invoice.pdf');
  const pages = viewer.getByRole('region', { name: 'Pages of invoice.pdf' });
  await expect(pages.getByText('Invoice with a script')).toBeVisible();
  // The link the script hides behind covers the whole page.
  // (A click where the operator's would land: on the page's text layer, above the canvas.)
  await pages.getByRole('img', { name: 'Page 1' }).click({ force: true });
  // One more round through the viewer, so anything the file had set going has had its turn.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'second.jpg' }).getByRole('img', { name: 'second.jpg' })).toHaveJSProperty('naturalWidth', 1);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: 'invoice.pdf' }).getByText('Invoice with a script')).toBeVisible();
  expect(ran).toEqual([]);
});

test('a Word document reads as its text, with its own pictures and links that open only after asking', async () => {
  const { page } = desk;
  const viewer = await openFile(page, 'Договор.docx');
  const text = viewer.getByRole('region', { name: 'Text of Договор.docx' });
  await expect(text.getByRole('heading', { name: 'Договор поставки №5' })).toBeVisible();
  await expect(text.getByText('Условия оплаты — на')).toBeVisible();
  await expect(text.getByRole('img', { name: 'Печать организации' })).toHaveJSProperty('naturalWidth', 2);
  await text.getByRole('link', { name: 'сайте поставщика' }).click();
  const ask = page.getByRole('dialog', { name: 'Open this link?' });
  await expect(ask.getByText('https://supplier.example/terms')).toBeVisible();
  // Esc closes that window only; the viewer stays.
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(viewer).toBeVisible();
});

test('a file the viewer cannot show says so and offers it for download', async () => {
  const { page } = desk;
  const viewer = await openFile(page, 'terms.rtf');
  await expect(viewer.getByText('This kind of file cannot be shown here. Download it and open it in its own program.')).toBeVisible();
  // Alone in the viewer: the arrows go through the files it can show, and this is none of them.
  await expect(viewer.getByRole('button', { name: 'Next file' })).toBeDisabled();
  const download = desk.nextSave();
  await viewer.getByRole('button', { name: 'Download terms.rtf' }).click();
  expect((await download).suggestedFilename()).toBe('terms.rtf');
});

test('the arrow keys go through every file the viewer can show, in the order they came', async () => {
  const { page } = desk;
  const viewer = await openFile(page, 'Фото склада.png');
  await expect(viewer.getByRole('img', { name: 'Фото склада.png' })).toHaveJSProperty('naturalWidth', 2);
  const shown: Array<[string, (viewer: Locator) => Locator]> = [
    ['Договор.docx', (v) => v.getByRole('heading', { name: 'Договор поставки №5' })],
    ['Выписка.pdf', (v) => v.getByText('Statement page 1 of 8')],
    ['invoice.pdf', (v) => v.getByText('Invoice with a script')],
    ['second.jpg', (v) => v.getByRole('img', { name: 'second.jpg' })],
    ['Фото склада.png', (v) => v.getByRole('img', { name: 'Фото склада.png' })],
  ];
  for (const [name, content] of shown) {
    await page.keyboard.press('ArrowRight');
    await expect(content(page.getByRole('dialog', { name }))).toBeVisible();
  }
  await page.keyboard.press('ArrowLeft');
  const last = page.getByRole('dialog', { name: 'second.jpg' });
  await expect(last.getByText('5 of 5')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('dialog', { name: 'invoice.pdf' }).getByText('Invoice with a script')).toBeVisible();
});
