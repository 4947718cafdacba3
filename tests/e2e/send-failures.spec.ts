// Failures you cannot miss (issue 12, item 2): a reply that does not go is marked in the list,
// named in a banner with Retry / Edit / Cancel send, the channel shows its sending side, and the
// reason is in the operator's language with the server's own words after it.
import path from 'node:path';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { freePort } from '../support/ports';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/** The page's words for what the operator uses here, in the UI's language. */
const WORDS = {
  en: { active: 'Active', reply: 'Reply', message: 'Message', send: 'Send' },
  ru: { active: 'Активные', reply: 'Ответ', message: 'Сообщение', send: 'Отправить' },
};

/** Opens the client's conversation and sends `text` as the reply; returns its row in the list and the reply form. */
async function sendReply(page: Page, lang: 'en' | 'ru', text: string) {
  const words = WORDS[lang];
  const row = page.getByRole('list', { name: words.active }).getByRole('button', { name: /Иванов Иван/ });
  await row.click();
  const reply = page.getByRole('form', { name: words.reply });
  await reply.getByRole('textbox', { name: words.message }).fill(text);
  await reply.getByRole('button', { name: words.send }).click();
  return { row, reply };
}

test('in Russian: a reply to a dead SMTP server is marked in the list, named in a banner with the reason, edited back and taken back', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Где договор?' }));
  // Nothing listens on this port: every attempt is refused, and the outbox keeps trying.
  const deadPort = await freePort();
  const channel = channelFor({ dovecot: mail.dovecot, smtp: { host: '127.0.0.1', port: deadPort } }, { name: 'Поддержка' });
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channel] }), dataDir: path.join(workdir, 'data'), lang: 'ru' });
  const { page } = desk;
  const { row, reply } = await sendReply(page, 'ru', 'Договор во вложении.');

  const banner = page.getByRole('alert').filter({ hasText: 'Договор во вложении.' });
  await expect(banner).toContainText(`Еще не отправлено, будет повторная попытка: «Договор во вложении.». Не удалось подключиться к почтовому серверу (connect ECONNREFUSED 127.0.0.1:${deadPort})`);
  await expect(row).toContainText('Повторная отправка');
  await expect(page.getByRole('status').filter({ hasText: 'Отправка:' })).toHaveText(`Отправка: Не удалось подключиться к почтовому серверу (connect ECONNREFUSED 127.0.0.1:${deadPort})`);

  // Edit: the text goes back into the field, the message out of the outbox and of the list's marker.
  await banner.getByRole('button', { name: 'Изменить' }).click();
  await expect(reply.getByRole('textbox', { name: 'Сообщение' })).toHaveValue('Договор во вложении.');
  await expect(reply.getByRole('textbox', { name: 'Сообщение' })).toBeFocused();
  await expect(banner).toHaveCount(0);
  await expect(row).not.toContainText('Повторная отправка');

  // Sent again, and this time taken back: nothing is left to go.
  await reply.getByRole('button', { name: 'Отправить' }).click();
  const again = page.getByRole('alert').filter({ hasText: 'Договор во вложении.' });
  await expect(again).toBeVisible();
  await again.getByRole('button', { name: 'Отменить отправку' }).click();
  await expect(again).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'История переписки' }).getByRole('article')).toHaveCount(1);
  await expect(row).not.toContainText('Повторная отправка');
});

test('a reply the server refuses for good is marked Not sent, and Retry sends it once the server takes it', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Invoice?' }));
  mail.smtp.failNext([{ code: 550, message: '5.7.1 Message rejected by policy' }]);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  const { row, reply } = await sendReply(page, 'en', 'The invoice is attached.');
  const banner = page.getByRole('alert').filter({ hasText: 'The invoice is attached.' });
  await expect(banner).toContainText('Not sent: «The invoice is attached.». The mail server refused the message (550 5.7.1 Message rejected by policy)');
  await expect(row).toContainText('Not sent');
  // The server took the connection: sending works, this one message was refused.
  await expect(page.getByRole('status').filter({ hasText: 'Sending:' })).toHaveText('Sending: works');
  await expect(reply.getByRole('textbox', { name: 'Message' })).toBeFocused();

  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Conversation history' }).getByRole('article').last()).toContainText('Sent');
  await expect(row).not.toContainText('Not sent');
  await expect(row).not.toContainText('Sending again');
  expect(mail.smtp.received).toHaveLength(1);
});
