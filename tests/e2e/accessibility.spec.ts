// axe-core on every screen an operator works in (issue 12, item 8), in English and in Russian:
// the main screen, a conversation with files, the reply composer holding files that break the
// rules, the viewer on a picture, a PDF page and a Word document, the search's results, both
// steps of the new-message window and the Create client form. Each language walks through them
// on one host, with a client's mail delivered into a real Dovecot first.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { translator } from '../../common/i18n';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { DOCX, JPEG, pdfOf, PNG } from '../support/sample-files';
import { expect, test } from './fixtures';
import type { DriverName } from '../support/electron-binary';

/**
 * WCAG 2.0 and 2.1 at levels A and AA, 2.2's AA (the size of click targets), and axe's best
 * practices. Not its experimental rules: one of them, label-content-name-mismatch, wants a found
 * client's row named by all it shows, where the row is named by the client's name (what an
 * operator says to a speech program, and the start of the row's text) and described by the rest.
 */
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const FILES = [
  { filename: 'Фото склада.png', content: PNG, contentType: 'image/png' },
  { filename: 'second.jpg', content: JPEG, contentType: 'image/jpeg' },
  { filename: 'Выписка.pdf', content: pdfOf(['Statement page 1 of 2', 'Statement page 2 of 2']), contentType: 'application/pdf' },
  { filename: 'report.docx', content: DOCX, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
];

/** Runs axe on the page as it is; what it finds is listed rule by rule, with the elements, in the failure. */
async function expectNoViolations(page: Page, screen: string) {
  const axe = new AxeBuilder({ page }).withTags(RULES);
  // Axe's default mode finishes its run in a blank page of the same context, which an Electron app cannot open: there it runs frame by frame.
  if ((test.info().project.use as { driver?: DriverName }).driver === 'electron') axe.setLegacyMode(true);
  const { violations } = await axe.analyze();
  const found = violations.map((v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join('\n')}`);
  expect.soft(found, `axe on ${screen}:\n${found.join('\n')}`).toEqual([]);
}

function file(dir: string, name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

for (const lang of ['en', 'ru'] as const) {
  test(`no axe violations on any screen (${lang})`, async ({ postdesk, mail, workdir }) => {
    test.setTimeout(180_000);
    const t = translator(lang);
    await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: 'Anna Petrova <anna@example.test>', to: OPERATOR.address, subject: 'A question' }));
    await deliverLmtp(
      mail.dovecot,
      OPERATOR.address,
      await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Documents', text: 'Files attached.', attachments: FILES }),
    );
    const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang });
    const { page } = desk;
    const active = page.getByRole('list', { name: t('tabs.active') });
    const search = page.getByRole('searchbox', { name: t('search.label') });
    const results = page.getByRole('list', { name: t('search.results') });

    await test.step('the main screen', async () => {
      await expect(active.getByRole('button')).toHaveCount(2);
      // A screen reader reads the page in its language (axe only checks that the attribute is valid).
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('list', { name: t('channels.title') }).getByText(t('channels.state.idle'))).toBeVisible();
      await expectNoViolations(page, 'the main screen');
    });

    await test.step('a conversation with files', async () => {
      await active.getByRole('button', { name: /Иванов Иван/ }).click();
      const history = page.getByRole('list', { name: t('history.label') });
      await expect(history.getByRole('list', { name: t('attachments.label') }).getByRole('listitem')).toHaveCount(FILES.length);
      // The pictures' thumbnails are drawn (axe measures text over them).
      await expect(history.locator('.attachment-thumb img').first()).toHaveJSProperty('naturalWidth', 2);
      await expectNoViolations(page, 'a conversation with files');
    });

    await test.step('the reply composer with files that break the rules', async () => {
      const composer = page.getByRole('form', { name: t('composer.label') });
      await desk.pickFiles([
        file(workdir, 'photo.png', PNG),
        file(workdir, 'setup.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)])),
        file(workdir, 'huge.pdf', Buffer.concat([FILES[2]!.content, Buffer.alloc(31 * 1024 * 1024, 0x20)])),
      ], () => composer.getByRole('button', { name: t('composer.attach') }).click());
      const files = t('composer.files.other', { count: 3 });
      await expect(composer.getByText(t('composer.filesWithErrors', { files, invalid: 2 }), { exact: true })).toBeVisible();
      await expectNoViolations(page, 'the reply composer with invalid files');
    });

    await test.step('the viewer on a picture, a PDF page and a Word document', async () => {
      await page.getByRole('button', { name: t('attachments.open', { name: 'Фото склада.png' }) }).click();
      const picture = page.getByRole('dialog', { name: 'Фото склада.png' });
      await expect(picture.getByRole('img', { name: 'Фото склада.png' })).toHaveJSProperty('naturalWidth', 2);
      await expectNoViolations(page, 'the viewer on a picture');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const pdf = page.getByRole('dialog', { name: 'Выписка.pdf' });
      await expect(pdf.getByRole('img', { name: t('viewer.pdf.pageLabel', { page: 1 }) })).toBeVisible();
      await expect(pdf.getByText('Statement page 1 of 2')).toBeAttached();
      await expectNoViolations(page, 'the viewer on a PDF page');
      await page.keyboard.press('ArrowRight');
      const document = page.getByRole('dialog', { name: 'report.docx' });
      await expect(document.getByText('Здравствуйте! Счет во вложении.')).toBeVisible();
      await expectNoViolations(page, 'the viewer on a Word document');
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
    });

    await test.step('search results', async () => {
      await search.fill('иван');
      await expect(results.getByRole('listitem', { name: 'Иванов Иван' }).locator('mark')).toHaveText('Иванов Иван');
      await expectNoViolations(page, 'search results');
      // A row reached from the keyboard shows its Write outgoing.
      await search.press('ArrowDown');
      await expect(results.getByRole('button', { name: t('search.writeOutgoing') }).first()).toHaveCSS('opacity', '1');
      await expectNoViolations(page, 'search results with a row in focus');
    });

    await test.step('the new-message window, both steps', async () => {
      await search.fill(CLIENT.address);
      const row = results.getByRole('listitem', { name: 'Иванов Иван' });
      await row.hover();
      await row.getByRole('button', { name: t('search.writeOutgoing') }).click();
      const dialog = page.getByRole('dialog', { name: t('outgoing.title') });
      await expect(dialog.getByRole('radio', { name: 'Support' })).toBeChecked();
      await expectNoViolations(page, 'the new-message window, step 1 (channel)');
      await dialog.getByRole('button', { name: t('outgoing.next') }).click();
      await expect(dialog.getByRole('textbox', { name: t('outgoing.subject') })).toBeFocused();
      await desk.pickFiles([file(workdir, 'setup.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)]))], () => dialog.getByRole('button', { name: t('composer.attach') }).click());
      await expect(dialog.getByRole('list', { name: t('composer.attachments') }).getByRole('listitem')).toHaveCount(1);
      await expectNoViolations(page, 'the new-message window, step 2 (compose)');
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
    });

    await test.step('the Create client form', async () => {
      await search.fill('Сидоров Сидор');
      await expect(page.getByText(t('search.none'))).toBeVisible();
      await expectNoViolations(page, 'search without results');
      await page.getByRole('button', { name: t('search.createClient') }).click();
      const form = page.getByRole('dialog', { name: t('client.title') });
      await expect(form.getByRole('textbox', { name: t('client.phone') })).toBeFocused();
      await expectNoViolations(page, 'the Create client form');
      await form.getByRole('textbox', { name: t('client.phone') }).fill('12-34');
      await form.getByRole('textbox', { name: t('client.email') }).fill('client@');
      await form.getByRole('button', { name: t('client.save') }).click();
      await expect(form.getByRole('textbox', { name: t('client.email') })).toHaveAttribute('aria-invalid', 'true');
      await expectNoViolations(page, 'the Create client form with its hints');
      await form.getByRole('textbox', { name: t('client.phone') }).fill('+7 912 345-67-89');
      await form.getByRole('textbox', { name: t('client.email') }).fill(CLIENT.address);
      await form.getByRole('button', { name: t('client.save') }).click();
      await expect(form.getByRole('alert')).toContainText('Иванов Иван');
      await expectNoViolations(page, 'the Create client form with a possible duplicate');
    });
  });
}
