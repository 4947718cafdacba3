import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { channelFor, CLIENT, OPERATOR, SUPERVISOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { PDF, PNG, RTF, sha256 } from '../support/sample-files';
import { expect, test } from './fixtures';

function file(dir: string, name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test('a client nobody has yet: Create client, Write outgoing with subject, text, BCC and files; it waits under Completed until the client answers', async ({ postdesk, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const dataDir = path.join(workdir, 'data');
  const saveDir = path.join(workdir, 'chosen-folder');
  mkdirSync(saveDir);
  // An older record with the same phone: the form must point it out before saving.
  const seed = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  seed.clients.create({ name: 'Old Record', phone: '+7 912 345-67-89' });
  await seed.close();
  const desk = await postdesk.open({ config, dataDir, saveDir });
  const { page } = desk;
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await search.fill('Сидоров Сидор');
  await expect(page.getByText('No client found.')).toBeVisible();
  await page.getByRole('button', { name: 'Create client' }).click();

  const form = page.getByRole('dialog', { name: 'New client' });
  await expect(form.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('Сидоров Сидор');
  await expect(form.getByRole('textbox', { name: 'Phone' })).toBeFocused();
  await form.getByRole('textbox', { name: 'Phone' }).fill('12-34');
  await form.getByRole('textbox', { name: 'E-mail' }).fill('client@');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('textbox', { name: 'Phone' })).toHaveAccessibleDescription(/not a phone number/);
  await expect(form.getByRole('textbox', { name: 'E-mail' })).toHaveAccessibleDescription(/not an e-mail address/);
  await form.getByRole('textbox', { name: 'Phone' }).fill('8 (912) 345-67-89');
  await form.getByRole('textbox', { name: 'E-mail' }).fill(CLIENT.address);
  await form.getByRole('textbox', { name: 'External ID' }).fill('CRM-77');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('Old Record — same phone');
  await form.getByRole('button', { name: 'Save anyway' }).click();

  // Saving goes straight on to Write outgoing for the new client.
  const dialog = page.getByRole('dialog', { name: 'New outgoing message' });
  await expect(dialog).toContainText(`To: Сидоров Сидор <${CLIENT.address}>`);
  // The only channel is chosen already.
  await expect(dialog.getByRole('radio', { name: 'Support' })).toBeChecked();
  // From the keyboard: Next has the focus, and the next step opens on Subject.
  await expect(dialog.getByRole('button', { name: 'Next' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Subject' })).toBeFocused();

  await dialog.getByRole('textbox', { name: 'Subject' }).fill('Ваш договор');
  await dialog.getByRole('textbox', { name: 'Message' }).fill('Здравствуйте! Документы во вложении.');
  const bcc = dialog.getByRole('textbox', { name: 'BCC' });
  await bcc.fill('supervisor@');
  await expect(bcc).toHaveAccessibleDescription('Not an e-mail address: supervisor@');
  await bcc.fill(SUPERVISOR.address);
  await expect(bcc).not.toHaveAttribute('aria-invalid');

  const send = dialog.getByRole('button', { name: 'Send' });
  const good = [file(workdir, 'photo.png', PNG), file(workdir, 'Договор №9.pdf', PDF), file(workdir, 'notes.rtf', RTF)];
  await desk.pickFiles([...good, file(workdir, 'setup.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0)]))], () => dialog.getByRole('button', { name: 'Attach files' }).click());
  const list = dialog.getByRole('list', { name: 'Attachments' });
  await expect(list.getByRole('listitem')).toHaveText([/setup\.exe/, /notes\.rtf/, /Договор №9\.pdf/, /photo\.png/]);
  await expect(list.getByRole('listitem').first()).toHaveAccessibleDescription(/Format \.exe is not allowed/);
  await expect(send).toBeDisabled();
  await dialog.getByRole('button', { name: 'Remove setup.exe' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await send.click();
  await expect(dialog).toHaveCount(0);

  // The SMTP server got one message: to the client, BCC in the envelope only.
  const [received] = await mail.smtp.waitForMessages(1);
  expect(received!.to).toEqual([CLIENT.address, SUPERVISOR.address]);
  const parsed = await simpleParser(received!.raw);
  expect(parsed.headers.has('bcc')).toBe(false);
  expect(received!.raw.toString('latin1')).not.toContain(SUPERVISOR.address);
  expect(parsed.subject).toBe('Ваш договор');
  expect(parsed.text?.trim()).toBe('Здравствуйте! Документы во вложении.');
  expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
    ['photo.png', sha256(PNG)],
    ['Договор №9.pdf', sha256(PDF)],
    ['notes.rtf', sha256(RTF)],
  ]);

  // The conversation waits under Completed, open, with the message and its files.
  await expect(page.getByRole('tab', { name: 'Completed' })).toHaveAttribute('aria-selected', 'true');
  const completed = page.getByRole('list', { name: 'Completed' });
  await expect(completed.getByRole('button', { name: /Сидоров Сидор/ })).toBeVisible();
  const history = page.getByRole('list', { name: 'Conversation history' });
  const sent = history.getByRole('article').last();
  await expect(sent).toContainText('Sent');
  // To and BCC as they were sent, under the sender.
  await expect(sent.getByText(`To: ${CLIENT.address}`, { exact: true })).toBeVisible();
  await expect(sent.getByText(`BCC: ${SUPERVISOR.address}`, { exact: true })).toBeVisible();
  await expect(sent.getByRole('list', { name: 'Attachments of the message' }).getByRole('listitem')).toHaveCount(3);
  await sent.getByRole('button', { name: 'Open photo.png' }).click();
  await expect(page.getByRole('dialog', { name: 'photo.png' })).toBeVisible();
  await page.keyboard.press('Escape');
  // A new message's files save into a folder, each in its own format (config downloads.new).
  await sent.getByRole('button', { name: 'Download all files', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'notes.rtf' })).toBeVisible();
  expect(readdirSync(saveDir).sort()).toEqual(['notes.rtf', 'photo.png', 'Договор №9.pdf'].sort());
  expect(readFileSync(path.join(saveDir, 'Договор №9.pdf')).equals(PDF)).toBe(true);

  // The client is found again by search, and Write outgoing shows on the row.
  await search.fill('CRM-77');
  const row = page.getByRole('list', { name: 'Clients found' }).getByRole('listitem', { name: 'Сидоров Сидор' });
  await row.hover();
  await expect(row.getByRole('button', { name: 'Write outgoing' })).toHaveCSS('opacity', '1');
  await search.fill('');

  // The client answers in the same thread: the conversation is active again, one history.
  await deliverLmtp(
    mail.dovecot,
    OPERATOR.address,
    await buildMessage({ from: `Сидоров Сидор <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Re: Ваш договор', text: 'Спасибо, получил.', inReplyTo: parsed.messageId }),
  );
  await expect(completed.getByRole('button', { name: /Сидоров Сидор/ })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Active' }).click();
  await page.getByRole('list', { name: 'Active' }).getByRole('button', { name: /Сидоров Сидор/ }).click();
  await expect(history.getByRole('article')).toHaveCount(2);
  await expect(history.getByRole('article').last()).toContainText('Спасибо, получил.');
});

test('Write outgoing from a found client without an e-mail address: the window says so and takes the address', async ({ postdesk, mail, workdir }) => {
  const config = writeConfig(workdir, {
    channels: [channelFor(mail), channelFor(mail, { id: 'sales', name: 'Sales' }), channelFor(mail, { id: 'broken', name: 'Broken', password: 'wrong' })],
  });
  const dataDir = path.join(workdir, 'data');
  const seed = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  seed.clients.create({ name: 'Пётр Без Почты', phone: '+7 900 111-22-33', messengerUsername: 'petr_tg' });
  await seed.close();
  const desk = await postdesk.open({ config, dataDir });
  const { page } = desk;
  // A channel in error is not offered: its login fails here.
  await expect(page.getByRole('list', { name: 'E-mail channels' }).getByRole('status').filter({ hasText: /^Error: / })).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('@petr_tg');
  const row = page.getByRole('list', { name: 'Clients found' }).getByRole('listitem', { name: 'Пётр Без Почты' });
  await expect(row).toBeVisible();
  // Keyboard: Tab from the field reaches the row's button, which shows on focus.
  await page.keyboard.press('Tab');
  const write = row.getByRole('button', { name: 'Write outgoing' });
  await expect(write).toBeFocused();
  await expect(write).toHaveCSS('opacity', '1');
  await page.keyboard.press('Enter');

  const dialog = page.getByRole('dialog', { name: 'New outgoing message' });
  // Two channels work: nothing is chosen for the operator, and the broken one is not offered.
  await expect(dialog.getByRole('radio')).toHaveCount(2);
  await expect(dialog.getByRole('radio', { name: 'Support' })).not.toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'Sales' })).not.toBeChecked();
  await dialog.getByRole('radio', { name: 'Sales' }).check();
  await expect(dialog.getByRole('alert')).toHaveText('Пётр Без Почты has no e-mail address, so an e-mail cannot be sent. Add the address:');
  await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'E-mail' }).fill('petr@example.test');
  await dialog.getByRole('button', { name: 'Add address' }).click();
  await expect(dialog).toContainText('To: Пётр Без Почты <petr@example.test>');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('textbox', { name: 'Subject' }).fill('Kept as a draft');
  // Closing loses nothing: the draft is there when the window opens again.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('petr@example.test');
  await page.getByRole('list', { name: 'Clients found' }).getByRole('listitem', { name: 'Пётр Без Почты' }).hover();
  await page.getByRole('button', { name: 'Write outgoing' }).click();
  await dialog.getByRole('radio', { name: 'Sales' }).check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Subject' })).toHaveValue('Kept as a draft');
});

test('Write outgoing to a client whose mail is still waiting: the window says it stays under Active, and it does', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Где мой заказ?', text: 'Жду ответа.' }));
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang: 'ru' });
  const { page } = desk;
  const active = page.getByRole('list', { name: 'Активные' });
  await expect(active.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Поиск клиентов' }).fill(CLIENT.address);
  const row = page.getByRole('list', { name: 'Найденные клиенты' }).getByRole('listitem', { name: 'Иванов Иван' });
  await row.hover();
  await row.getByRole('button', { name: 'Написать исходящее' }).click();
  const dialog = page.getByRole('dialog', { name: 'Новое исходящее сообщение' });
  await dialog.getByRole('button', { name: 'Далее' }).click();
  // Said before sending, and with the Send button itself.
  const warning = 'В этом обращении есть непрочитанные письма клиента Иванов Иван: после отправки обращение останется в «Активных».';
  await expect(dialog.getByText(warning)).toBeVisible();
  const send = dialog.getByRole('button', { name: 'Отправить' });
  await expect(send).toHaveAccessibleDescription(warning);
  await dialog.getByRole('textbox', { name: 'Тема письма' }).fill('Ваш заказ');
  await dialog.getByRole('textbox', { name: 'Сообщение' }).fill('Заказ отправлен сегодня.');
  await send.click();
  await expect(dialog).toHaveCount(0);
  await mail.smtp.waitForMessages(1);

  // Still under Active, open, with the client's mail and the new message in one history.
  await expect(page.getByRole('tab', { name: 'Активные' })).toHaveAttribute('aria-selected', 'true');
  await expect(active.getByRole('button', { name: /Иванов Иван/ })).toHaveAttribute('aria-current', 'true');
  const history = page.getByRole('list', { name: 'История переписки' });
  await expect(history.getByRole('article')).toHaveCount(2);
  await expect(history.getByRole('article').last()).toContainText('Заказ отправлен сегодня.');
  await page.getByRole('tab', { name: 'Завершенные' }).click();
  await expect(page.getByText('Нет завершенных обращений.')).toBeVisible();
});

test('Import clients from a CSV file: the good rows are found by search, the report says which rows were refused and why', async ({ postdesk, mail, workdir }) => {
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  const csv = file(
    workdir,
    'clients.csv',
    Buffer.from(
      '\uFEFFname;phone;email;externalId;messengerUsername\r\n' +
        'Морозова Анна;+7 915 000-00-01;anna@example.test;CRM-1;@anna_m\r\n' +
        '"Ким, Олег";;oleg@example.test;;\r\n' +
        'Без адреса;;not-an-address;;\r\n' +
        'Копия Анны;8 915 0000001;;;\r\n',
    ),
  );
  await page.getByRole('button', { name: 'Import clients' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import clients' });
  await dialog.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(dialog.getByRole('status')).toContainText('Clients imported: 2.');
  const refused = dialog.getByRole('table', { name: 'Rows not imported: 2' });
  await expect(refused.getByRole('row')).toHaveText([/Line\s*Name\s*Why/, /4\s*Без адреса\s*E-mail: This is not an e-mail address/, /5\s*Копия Анны\s*same phone as Морозова Анна/]);
  // Over the limit: said at once, nothing read or sent.
  await dialog.getByLabel('Choose a CSV file').setInputFiles(file(workdir, 'huge.csv', Buffer.alloc(21_000_000, 0x61)));
  await expect(dialog.getByRole('alert')).toHaveText('The file is larger than 20 MB: split it into smaller files.');
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('олег');
  await expect(page.getByRole('list', { name: 'Clients found' }).getByRole('listitem', { name: 'Ким, Олег' })).toBeVisible();
});

test('in Russian: «Написать исходящее», the window and its hints in the words operators know', async ({ postdesk, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail, { name: 'Поддержка' })] });
  const dataDir = path.join(workdir, 'data');
  const seed = await openServices({ config: loadConfig(config).config, dataDir, lang: 'ru', version: 'seed', startMail: false });
  seed.clients.create({ name: 'Иванов Иван', email: CLIENT.address });
  await seed.close();
  const desk = await postdesk.open({ config, dataDir, lang: 'ru' });
  const { page } = desk;
  await page.getByRole('searchbox', { name: 'Поиск клиентов' }).fill('иванов');
  const row = page.getByRole('list', { name: 'Найденные клиенты' }).getByRole('listitem', { name: 'Иванов Иван' });
  await row.hover();
  await row.getByRole('button', { name: 'Написать исходящее' }).click();
  const dialog = page.getByRole('dialog', { name: 'Новое исходящее сообщение' });
  await expect(dialog.getByRole('radio', { name: 'Поддержка' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Далее' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Тема письма' })).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Скрытая копия' })).toBeVisible();
  await desk.pickFiles([file(workdir, 'скан.pdf', Buffer.concat([PDF, Buffer.alloc(31 * 1024 * 1024, 0x20)]))], () => dialog.getByRole('button', { name: 'Прикрепить вложения' }).click());
  await expect(dialog.getByRole('list', { name: 'Вложения' }).getByRole('listitem')).toHaveAccessibleDescription('31,0 МБ — ограничение для одного файла: 30 МБ');
  await expect(dialog.getByRole('button', { name: 'Отправить' })).toBeDisabled();
});
