import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import type { Desk } from './driver';
import { readZip, unzipList } from '../support/zip-reader';
import { expect, test } from './fixtures';
import { DOCX, JPEG, PDF, PNG, sha256 } from '../support/sample-files';
import { incoming } from '../support/incoming';
import { transactionOf } from '../../main/store/unit-of-work';


const FILES = [
  { filename: 'Фото склада.png', content: PNG, contentType: 'image/png' },
  { filename: 'second.jpg', content: JPEG, contentType: 'image/jpeg' },
  { filename: 'Договор №5.pdf', content: PDF, contentType: 'application/pdf' },
  { filename: 'report.docx', content: DOCX, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
];


async function clientWrites(mail: { dovecot: Parameters<typeof deliverLmtp>[0] }, subject: string, attachments = FILES) {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject, text: 'Files attached.', attachments }));
}

test.describe('a client e-mail with several files in the history', () => {
  let desk: Desk;
  let saveDir: string;

  test.beforeEach(async ({ postdesk, mail, workdir }) => {
    saveDir = path.join(workdir, 'chosen-folder');
    mkdirSync(saveDir);
    await clientWrites(mail, 'Documents for the contract');
    const config = writeConfig(workdir, { channels: [channelFor(mail)] });
    desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data'), lang: 'en', saveDir });
  });

  test('shows one message with four files; images open in the viewer and the arrow keys move on', async () => {
    const { page } = desk;
    await page.getByRole('button', { name: /Иванов Иван/ }).click();
    const history = page.getByRole('list', { name: 'Conversation history' });
    await expect(history.getByRole('article')).toHaveCount(1);
    const files = history.getByRole('list', { name: 'Attachments of the message' }).getByRole('listitem');
    await expect(files).toHaveCount(4);
    for (const f of FILES) await expect(page.getByRole('button', { name: `Download ${f.filename}` })).toBeVisible();

    await page.getByRole('button', { name: 'Open Фото склада.png' }).click();
    const viewer = page.getByRole('dialog', { name: 'Фото склада.png' });
    await expect(viewer).toBeVisible();
    await expect(viewer.getByRole('img', { name: 'Фото склада.png' })).toHaveJSProperty('naturalWidth', 2);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('dialog', { name: 'second.jpg' })).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('dialog', { name: 'Фото склада.png' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('downloads one file byte for byte, all as a ZIP, and all into a folder', async ({ workdir }) => {
    const { page } = desk;
    await page.getByRole('button', { name: /Иванов Иван/ }).click();

    const single = desk.nextSave();
    await page.getByRole('button', { name: 'Download Договор №5.pdf' }).click();
    const pdf = await single;
    expect(pdf.suggestedFilename()).toBe('Договор №5.pdf');
    const pdfPath = path.join(workdir, 'one.pdf');
    await pdf.saveAs(pdfPath);
    expect(readFileSync(pdfPath).equals(PDF)).toBe(true);

    const zipped = desk.nextSave();
    await page.getByRole('button', { name: 'More ways to download all files' }).click();
    await page.getByRole('menuitem', { name: 'As ZIP archive' }).click();
    const zip = await zipped;
    expect(zip.suggestedFilename()).toBe('Documents for the contract-attachments.zip');
    const zipPath = path.join(workdir, 'all.zip');
    await zip.saveAs(zipPath);
    const entries = await readZip(zipPath);
    expect(entries.map((e) => [e.name, sha256(e.bytes)])).toEqual(FILES.map((f) => [f.filename, sha256(f.content)]));
    // Cyrillic names carry the UTF-8 flag, so Explorer and Archive Utility read them right.
    for (const e of entries.filter((entry) => /[^ -~]/.test(entry.name))) expect(e.utf8Flag, e.name).toBe(true);
    expect(unzipList(zipPath)).toEqual(FILES.map((f) => f.filename));

    // Incoming mail saves into a folder by default (config downloads.incoming).
    await page.getByRole('button', { name: 'Download all files', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'report.docx' })).toBeVisible();
    expect(readdirSync(saveDir).sort()).toEqual(FILES.map((f) => f.filename).sort());
    for (const f of FILES) expect(readFileSync(path.join(saveDir, f.filename)).equals(f.content)).toBe(true);
  });
});

test('a message with one attachment saves that file itself, never zipped', async ({ postdesk, mail, workdir }) => {
  await clientWrites(mail, 'Just the contract', [FILES[2]!]);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  for (const way of ['Download all files', 'As ZIP archive']) {
    const download = desk.nextSave();
    if (way === 'Download all files') await page.getByRole('button', { name: way, exact: true }).click();
    else {
      await page.getByRole('button', { name: 'More ways to download all files' }).click();
      await page.getByRole('menuitem', { name: way }).click();
    }
    const file = await download;
    expect(file.suggestedFilename()).toBe('Договор №5.pdf');
    const saved = path.join(workdir, `${way}.pdf`);
    await file.saveAs(saved);
    expect(readFileSync(saved).equals(PDF)).toBe(true);
  }
});

test('new mail moves the conversation to the top of Active live; Complete moves it to Completed and mail re-opens it', async ({ postdesk, mail, workdir }) => {
  await clientWrites(mail, 'First question', []);
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Anna Petrova <anna@example.test>`, to: OPERATOR.address, subject: 'Another client' }));
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  const active = page.getByRole('list', { name: 'Active' });
  await expect(active.getByRole('button')).toHaveCount(2);
  await expect(active.getByRole('button').first()).toContainText('Anna Petrova');

  await clientWrites(mail, 'One more thing', []);
  await expect(active.getByRole('button').first()).toContainText('Иванов Иван');
  await expect(active.getByRole('button').first()).toContainText('One more thing');
  await expect(active.getByRole('button').first().getByLabel('Unread')).toBeVisible();

  await active.getByRole('button', { name: /Иванов Иван/ }).click();
  await expect(page.getByRole('list', { name: 'Conversation history' }).getByRole('article')).toHaveCount(2);
  await page.getByRole('button', { name: 'Complete conversation' }).click();
  await expect(active.getByRole('button')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Completed' }).click();
  await expect(page.getByRole('list', { name: 'Completed' }).getByRole('button', { name: /Иванов Иван/ })).toBeVisible();

  await clientWrites(mail, 'Are you there?', []);
  await expect(page.getByRole('list', { name: 'Completed' }).getByRole('button')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Active' }).click();
  await expect(page.getByRole('list', { name: 'Active' }).getByRole('button').first()).toContainText('Are you there?');
});

test('a long history opens at the newest message and loads older pages when scrolled up', async ({ postdesk, workdir, mail }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const dataDir = path.join(workdir, 'data');
  const services = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  const conversationId = services.conversations.ensure(services.clients.create({ name: 'Long Talker', email: 'long@example.test' }).id, 'support');
  transactionOf(services.db)(() => {
    for (let i = 1; i <= 250; i++) {
      services.messages.insertIncoming(
        // One to nine lines: the rows' heights differ from each other and from the list's estimate.
        incoming(conversationId, { fromName: 'Long Talker', subject: `Message ${i}`, text: Array.from({ length: 1 + ((i * 7) % 9) }, () => `Body ${i}`).join('\n'), createdAt: 1_700_000_000_000 + i * 60_000 }),
      );
    }
  });
  await services.close();
  const desk = await postdesk.open({ config, dataDir });
  const { page } = desk;
  await page.getByRole('button', { name: /Long Talker/ }).click();
  const history = page.getByRole('list', { name: 'Conversation history' });
  await expect(history.getByRole('heading', { name: 'Message 250', exact: true })).toBeVisible();
  // Only what is near the window is rendered, not all 250 messages.
  expect(await history.getByRole('article').count()).toBeLessThan(60);
  const scroller = page.locator('.history');

  // An older page coming in above must not move what the operator is reading.
  // Two frames: what a scroll or a new page set off is measured and laid out. (A string: these tests compile without the DOM's types.)
  const settled = () => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const headingTop = (name: string) => scroller.evaluate((el, text) => [...el.querySelectorAll('h3')].find((h) => h.textContent === text)!.getBoundingClientRect().top, name);
  await scroller.evaluate((el) => (el.scrollTop = 1000));
  await settled();
  // Near the top of the first page (messages 151-250) the next is asked for; the message just below the window's middle is the one read.
  const read = await scroller.evaluate((el) => {
    el.scrollTop = 300;
    const middle = el.getBoundingClientRect().top + el.clientHeight / 2;
    const heading = [...el.querySelectorAll('h3')].find((h) => h.getBoundingClientRect().top >= middle)!;
    return { name: heading.textContent!, top: heading.getBoundingClientRect().top };
  });
  await expect(history.getByRole('heading', { name: 'Message 150', exact: true })).toBeAttached();
  await settled();
  expect(await headingTop(read.name)).toBeCloseTo(read.top, 0);

  await expect(async () => {
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect(history.getByRole('heading', { name: 'Message 1', exact: true })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
});
