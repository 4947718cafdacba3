// The viewer as an operator uses it on a client's mail delivered into a real Dovecot: what it
// shows of each kind of file, how it moves between them, and that every control stays readable.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { build } from 'esbuild';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import type { ControlContrast } from '../support/contrast-outcome';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { JPEG, PNG } from '../support/sample-files';
import { startHost, type RunningHost } from '../support/web-host';
import { expect, test } from './fixtures';

const FILES = [
  { filename: 'Фото склада.png', content: PNG, contentType: 'image/png' },
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
