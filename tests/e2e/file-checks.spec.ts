// Received files that are not what they say, or carry a virus (issue 10, items 5 and 6), as the
// operator meets them in the history: a real clamd with a test-written signature database.
import path from 'node:path';
import { CLIENT, OPERATOR, channelFor, writeConfig } from '../support/config-file';
import { startClamd, type Clamd } from '../support/clamd';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { EICAR, EXE, PNG, sha256 } from '../support/sample-files';
import type { Desk } from './driver';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

const SIGNATURE = 'Eicar-Test-Signature.UNOFFICIAL';

test.describe('a client e-mail with a virus and a disguised program', () => {
  let clamd: Clamd;
  let desk: Desk;

  test.beforeEach(async ({ postdesk, mail, workdir }) => {
    clamd = await startClamd([{ bytes: EICAR, name: 'Eicar-Test-Signature' }]);
    const raw = await buildMessage({
      from: `Иванов Иван <${CLIENT.address}>`,
      to: OPERATOR.address,
      subject: 'Scan and invoice',
      attachments: [
        { filename: 'eicar.com', content: EICAR, contentType: 'application/octet-stream' },
        { filename: 'invoice.pdf', content: EXE, contentType: 'application/pdf' },
        { filename: 'photo.png', content: PNG, contentType: 'image/png' },
      ],
    });
    await deliverLmtp(mail.dovecot, OPERATOR.address, raw);
    const config = writeConfig(workdir, { channels: [channelFor(mail)], scan: { clamd: clamd.address } });
    desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data'), lang: 'en' });
  });
  test.afterEach(async () => {
    // Where the electron project skips, no beforeEach ran: nothing to stop.
    if (test.info().status === 'skipped') return;
    await desk.close();
    await clamd.stop();
  });

  test('shows the infected file as blocked with its signature, and its Download only says why', async () => {
    const { page } = desk;
    await page.getByRole('button', { name: /Иванов Иван/ }).click();
    const files = page.getByRole('list', { name: 'Attachments of the message' });
    const eicar = files.getByRole('listitem').filter({ hasText: 'eicar.com' });
    await expect(eicar).toHaveAccessibleDescription(`Blocked: a virus was found (${SIGNATURE})`);

    const downloads = desk.countSaves();
    await page.getByRole('button', { name: 'Download eicar.com' }).click();
    await expect(page.getByRole('alert')).toHaveText(`eicar.com cannot be saved or opened: a virus was found in it (${SIGNATURE})`);
    expect(downloads()).toBe(0);

    // Download all saves the rest and names what it left out.
    await page.getByRole('button', { name: 'More ways to download all files' }).click();
    const zipped = desk.nextSave();
    await page.getByRole('menuitem', { name: 'As ZIP archive' }).click();
    await expect(page.getByRole('dialog', { name: 'Save anyway?' })).toBeVisible();
    await page.getByRole('button', { name: 'Save anyway' }).click();
    const zip = await zipped;
    const zipBytes = readFileSync(await zip.path());
    expect(zipBytes.includes(Buffer.from('photo.png'))).toBe(true);
    expect(zipBytes.includes(Buffer.from('eicar.com'))).toBe(false);
    await expect(page.getByRole('status').filter({ hasText: 'Saved:' })).toContainText('Not saved, a virus was found: eicar.com');
  });

  test('warns beside a file that is not what its name says, and asks once before saving it', async ({ workdir }) => {
    const { page } = desk;
    await page.getByRole('button', { name: /Иванов Иван/ }).click();
    const invoice = page.getByRole('list', { name: 'Attachments of the message' }).getByRole('listitem').filter({ hasText: 'invoice.pdf' });
    await expect(invoice).toHaveAccessibleDescription('This .pdf is really a program (EXE)');

    const downloads = desk.countSaves();
    await page.getByRole('button', { name: 'Download invoice.pdf' }).click();
    const ask = page.getByRole('dialog', { name: 'Save anyway?' });
    await expect(ask).toContainText('invoice.pdf');
    await expect(ask).toContainText('This .pdf is really a program (EXE)');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(ask).toBeHidden();
    expect(downloads()).toBe(0);

    await page.getByRole('button', { name: 'Download invoice.pdf' }).click();
    const download = desk.nextSave();
    await page.getByRole('dialog', { name: 'Save anyway?' }).getByRole('button', { name: 'Save anyway' }).click();
    const saved = path.join(workdir, 'invoice.pdf');
    await (await download).saveAs(saved);
    expect(sha256(readFileSync(saved))).toBe(sha256(EXE));

    // A clean, honest file saves without a question.
    const photo = desk.nextSave();
    await page.getByRole('button', { name: 'Download photo.png' }).click();
    expect((await photo).suggestedFilename()).toBe('photo.png');
    await expect(page.getByRole('dialog', { name: 'Save anyway?' })).toHaveCount(0);
  });
});

test('a clamd that cannot be reached: received files show "not scanned"', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Photo', attachments: [{ filename: 'photo.png', content: PNG }] }));
  const config = writeConfig(workdir, { channels: [channelFor(mail)], scan: { clamd: '/tmp/postdesk-no-clamd.sock' } });
  const desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data'), lang: 'en' });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const photo = page.getByRole('list', { name: 'Attachments of the message' }).getByRole('listitem').filter({ hasText: 'photo.png' });
  await expect(photo).toHaveAccessibleDescription('Not checked for viruses: clamd at /tmp/postdesk-no-clamd.sock: no such socket');
});
