import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { expect, test } from './fixtures';
import { PDF, PNG, RTF, sha256 } from '../support/sample-files';


function file(dir: string, name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test('the reply composer applies the rules: hints, invalid first, scrolling, Send only when valid; the e-mail carries exactly the files', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Please send the documents' }));
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  const good = [file(workdir, 'photo.png', PNG), file(workdir, 'Счёт №7.pdf', PDF), file(workdir, 'notes.rtf', RTF)];
  const bad = [
    file(workdir, 'setup.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)])),
    file(workdir, 'huge.pdf', Buffer.concat([PDF, Buffer.alloc(31 * 1024 * 1024, 0x20)])),
    file(workdir, 'fake.png', PDF),
  ];
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const composer = page.getByRole('form', { name: 'Reply' });
  await expect(composer.locator('input[type=file]')).toHaveAttribute('accept', '.jpeg,.jpg,.png,.pdf,.doc,.docx,.rtf,.bmp');
  // A mail without Reply-To: the reply goes to its sender, and there is nothing to choose.
  await expect(composer.getByText(`To: Иванов Иван <${CLIENT.address}>`, { exact: true })).toBeVisible();
  await expect(composer.getByRole('group')).toHaveCount(0);
  const send = composer.getByRole('button', { name: 'Send' });
  await expect(send).toBeDisabled();

  await desk.pickFiles([...good, ...bad], () => composer.getByRole('button', { name: 'Attach files' }).click());
  const list = composer.getByRole('list', { name: 'Attachments' });
  await expect(list.getByRole('listitem')).toHaveCount(6);
  // Invalid files first, newest first among them; then the valid ones, newest first.
  await expect(list.getByRole('listitem')).toHaveText([/fake\.png/, /huge\.pdf/, /setup\.exe/, /notes\.rtf/, /Счёт №7\.pdf/, /photo\.png/]);
  await expect(list.getByRole('listitem').filter({ hasText: 'setup.exe' })).toHaveAccessibleDescription(/Format \.exe is not allowed\. Allowed: \.jpeg, \.jpg/);
  // Over the per-file limit: its upload is refused at the door (413) before a byte is read, and it is listed with its hint.
  await expect(list.getByRole('listitem').filter({ hasText: 'huge.pdf' })).toHaveAccessibleDescription(/31\.0 MB — the limit for one file is 30 MB/);
  await expect(list.getByRole('listitem').filter({ hasText: 'fake.png' })).toHaveAccessibleDescription('This .png is really PDF');
  expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  await expect(composer.getByText('6 files, 3 with errors', { exact: true })).toBeVisible();
  await composer.getByRole('textbox', { name: 'Message' }).fill('Here are the documents.');
  await expect(send).toBeDisabled();

  await composer.getByRole('button', { name: 'Remove invalid files' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(composer.getByText('3 files', { exact: true })).toBeVisible();
  await expect(send).toBeEnabled();

  // Valid files that together pass the 30 MB total: Send waits until some are removed.
  const part = Buffer.concat([PDF, Buffer.alloc(17 * 1024 * 1024, 0x41)]);
  await desk.pickFiles([file(workdir, 'part-1.pdf', part), file(workdir, 'part-2.pdf', part)], () => composer.getByRole('button', { name: 'Attach files' }).click());
  await expect(list.getByRole('listitem')).toHaveCount(5);
  await expect(composer.getByRole('alert')).toContainText(/over the limit of 30 MB/);
  await expect(send).toBeDisabled();
  await composer.getByRole('button', { name: 'Remove part-2.pdf' }).click();
  await expect(composer.getByRole('alert')).toHaveCount(0);
  await expect(send).toBeEnabled();
  await send.click();

  const history = page.getByRole('list', { name: 'Conversation history' });
  const reply = history.getByRole('article').last();
  await expect(reply).toContainText('Here are the documents.');
  await expect(reply.getByRole('listitem')).toHaveCount(4);
  // 17 MB to the SMTP server: on a busy machine that takes longer than the default wait.
  await expect(reply).toContainText('Sent', { timeout: 30_000 });
  await expect(list).toHaveCount(0);

  const [received] = await mail.smtp.waitForMessages(1);
  expect(received!.to).toEqual([CLIENT.address]);
  const parsed = await simpleParser(received!.raw);
  expect(parsed.subject).toBe('Re: Please send the documents');
  expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)]).sort()).toEqual(
    [['photo.png', sha256(PNG)], ['Счёт №7.pdf', sha256(PDF)], ['notes.rtf', sha256(RTF)], ['part-1.pdf', sha256(part)]].sort(),
  );
});

test('other formats and limits in the config change the file chooser, the hints and the send check', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Hi' }));
  const config = writeConfig(workdir, { attachments: { allowedFormats: ['pdf', 'txt'], maxFileSize: '5mb', maxTotalSize: '5mb' }, channels: [channelFor(mail)] });
  const desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const composer = page.getByRole('form', { name: 'Reply' });
  await expect(composer.locator('input[type=file]')).toHaveAttribute('accept', '.pdf,.txt');
  await desk.pickFiles([
    file(workdir, 'photo.png', PNG),
    file(workdir, 'a.pdf', Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024, 0x20)])),
    file(workdir, 'b.pdf', Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024, 0x20)])),
  ], () => composer.getByRole('button', { name: 'Attach files' }).click());
  const list = composer.getByRole('list', { name: 'Attachments' });
  await expect(list.getByRole('listitem').first()).toHaveAccessibleDescription('Format .png is not allowed. Allowed: .pdf, .txt');
  await composer.getByRole('button', { name: 'Remove photo.png' }).click();
  // The rows move up once it is gone: wait for that before aiming at the next button.
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(composer.getByRole('alert')).toContainText('over the limit of 5 MB');
  await expect(composer.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer.getByRole('button', { name: 'Remove a.pdf' }).click();
  await expect(composer.getByRole('button', { name: 'Send' })).toBeEnabled();
});
