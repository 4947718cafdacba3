// The viewer as an operator uses it on a client's mail delivered into a real Dovecot: what it
// shows of each kind of file, how it moves between them, and that every control stays readable.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { build } from 'esbuild';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import type { ControlContrast } from '../support/contrast-outcome';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { docxOf, docxPicture, JPEG, PDF, PNG, RTF } from '../support/sample-files';
import { startHost, type RunningHost } from '../support/web-host';
import { expect, test } from './fixtures';

/** A client's contract: a heading, a paragraph with a link, and the stamp as a picture. */
const CONTRACT = docxOf(
  '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Договор поставки №5</w:t></w:r></w:p>' +
    '<w:p><w:r><w:t xml:space="preserve">Условия оплаты — на </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>сайте поставщика</w:t></w:r></w:hyperlink></w:p>' +
    docxPicture('rId5', 'Печать организации'),
  [{ name: 'word/media/stamp.png', content: PNG }],
  { rId5: 'media/stamp.png', rId9: 'https://supplier.example/terms' },
);

// In the order the client attached them; the RTF is the one kind the viewer does not show.
const FILES = [
  { filename: 'Фото склада.png', content: PNG, contentType: 'image/png' },
  { filename: 'Договор.docx', content: CONTRACT, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { filename: 'terms.rtf', content: RTF, contentType: 'application/rtf' },
  { filename: 'Счёт.pdf', content: PDF, contentType: 'application/octet-stream' },
  { filename: 'second.jpg', content: JPEG, contentType: 'image/jpeg' },
];

let host: RunningHost;

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

test.beforeEach(async ({ mail, workdir }) => {
  const message = await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Documents', text: 'Files attached.', attachments: FILES });
  await deliverLmtp(mail.dovecot, OPERATOR.address, message);
  host = await startHost({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang: 'en' });
});
test.afterEach(async () => host.stop());

async function openFile(page: Page, name: string) {
  await page.goto(host.url);
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  return page.getByRole('dialog', { name });
}

test('every control of the viewer reads at a contrast of 4.5:1 or more', async ({ page }) => {
  const viewer = await openFile(page, 'Фото склада.png');
  await expect(viewer.getByRole('img', { name: 'Фото склада.png' })).toHaveJSProperty('naturalWidth', 2);
  const measured = await contrastsIn(page, viewer);
  // The toolbar's seven buttons at least, and its texts.
  expect(measured.filter((m) => m.control !== '').length).toBeGreaterThanOrEqual(9);
  expect(measured.filter((m) => m.ratio < 4.5)).toEqual([]);
});

test('a Word document reads as its text, with its own pictures and links that open only after asking', async ({ page }) => {
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

test('a file the viewer cannot show says so and offers it for download', async ({ page }) => {
  const viewer = await openFile(page, 'terms.rtf');
  await expect(viewer.getByText('This kind of file cannot be shown here. Download it and open it in its own program.')).toBeVisible();
  // Alone in the viewer: the arrows go through the files it can show, and this is none of them.
  await expect(viewer.getByRole('button', { name: 'Next file' })).toBeDisabled();
  const download = page.waitForEvent('download');
  await viewer.getByRole('button', { name: 'Download terms.rtf' }).click();
  expect((await download).suggestedFilename()).toBe('terms.rtf');
});

test('the arrow keys go through every file the viewer can show, in the order they came', async ({ page }) => {
  await openFile(page, 'Фото склада.png');
  for (const name of ['Договор.docx', 'Счёт.pdf', 'second.jpg', 'Фото склада.png']) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('dialog', { name })).toBeVisible();
  }
  await page.keyboard.press('ArrowLeft');
  const last = page.getByRole('dialog', { name: 'second.jpg' });
  await expect(last.getByText('4 of 4')).toBeVisible();
  await expect(last.getByRole('img', { name: 'second.jpg' })).toHaveJSProperty('naturalWidth', 1);
});
