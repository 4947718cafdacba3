import path from 'node:path';
import { simpleParser } from 'mailparser';
import { channelFor, CLIENT, OPERATOR, SUPERVISOR, writeConfig } from '../support/config-file';
import { deliverLmtp, type LmtpTarget } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import type { Desk, Postdesk } from './driver';
import { expect, test } from './fixtures';

// The address a client's mail asks replies to go to instead: a real mailbox, so the test SMTP
// server can deliver there and record the envelope.
const OTHER = SUPERVISOR.address;

function clientWrites(dovecot: LmtpTarget, subject: string, replyTo?: string) {
  return buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, replyTo, to: OPERATOR.address, subject }).then((raw) =>
    deliverLmtp(dovecot, OPERATOR.address, raw),
  );
}

/** Postdesk on the test's servers, open at the client's conversation. */
async function openConversation(postdesk: Postdesk, mail: Parameters<typeof channelFor>[0], workdir: string, lang: 'en' | 'ru' = 'en'): Promise<Desk> {
  const channel = lang === 'ru' ? channelFor(mail, { name: 'Поддержка' }) : channelFor(mail);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channel] }), dataDir: path.join(workdir, 'data'), lang });
  await desk.page.getByRole('button', { name: /Иванов Иван/ }).click();
  return desk;
}

test('a mail whose Reply-To is not its From: the reply shows To, warns with both addresses, keeps the choice over a reload, and goes exactly there', async ({ postdesk, mail, workdir }) => {
  await clientWrites(mail.dovecot, 'Where are my documents?', OTHER);
  const { page } = await openConversation(postdesk, mail, workdir);
  const reply = page.getByRole('form', { name: 'Reply' });
  // The client we know is the default, and the operator sees both addresses.
  await expect(reply.getByText(`To: Иванов Иван <${CLIENT.address}>`, { exact: true })).toBeVisible();
  const choice = reply.getByRole('group');
  await expect(choice).toHaveAccessibleName(`This mail came from ${CLIENT.address} but asks for replies to go to ${OTHER}. Make sure that address is the client’s before sending documents there. Send the reply to:`);
  await expect(choice.getByRole('radio')).toHaveCount(2);
  await expect(choice.getByRole('radio', { name: CLIENT.address, exact: true })).toBeChecked();
  await expect(choice.getByRole('radio', { name: OTHER, exact: true })).not.toBeChecked();

  await choice.getByRole('radio', { name: OTHER, exact: true }).check();
  await expect(reply.getByText(`To: ${OTHER}`, { exact: true })).toBeVisible();

  // Kept with the draft in main: a reload of the page shows the same choice.
  await page.reload();
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  await expect(reply.getByRole('radio', { name: OTHER, exact: true })).toBeChecked();
  await expect(reply.getByText(`To: ${OTHER}`, { exact: true })).toBeVisible();

  await reply.getByRole('textbox', { name: 'Message' }).fill('The documents are on their way.');
  await reply.getByRole('button', { name: 'Send' }).click();
  const [received] = await mail.smtp.waitForMessages(1);
  expect(received!.to).toEqual([OTHER]);
  const parsed = await simpleParser(received!.raw);
  expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([OTHER]);

  // The history: the client's Reply-To under the sender, and the reply's To as it was sent.
  const history = page.getByRole('list', { name: 'Conversation history' });
  await expect(history.getByRole('article')).toHaveCount(2);
  await expect(history.getByRole('article').first().getByText(`Reply-To: ${OTHER}`, { exact: true })).toBeVisible();
  const sent = history.getByRole('article').last();
  await expect(sent).toContainText('Sent');
  await expect(sent.getByText(`To: ${OTHER}`, { exact: true })).toBeVisible();
  // The next reply starts from the client's own address again.
  await expect(reply.getByRole('radio', { name: CLIENT.address, exact: true })).toBeChecked();
});

test('the client writes again while the reply is open: another Reply-To is asked anew, none goes back to From', async ({ postdesk, mail, workdir }) => {
  await clientWrites(mail.dovecot, 'First', OTHER);
  const { page } = await openConversation(postdesk, mail, workdir);
  const reply = page.getByRole('form', { name: 'Reply' });
  await reply.getByRole('radio', { name: OTHER, exact: true }).check();
  await expect(reply.getByText(`To: ${OTHER}`, { exact: true })).toBeVisible();

  await clientWrites(mail.dovecot, 'Second', 'someone-else@example.test');
  await expect(reply.getByRole('radio', { name: 'someone-else@example.test', exact: true })).not.toBeChecked();
  await expect(reply.getByRole('radio', { name: OTHER, exact: true })).toHaveCount(0);
  await expect(reply.getByRole('radio', { name: CLIENT.address, exact: true })).toBeChecked();
  await expect(reply.getByText(`To: Иванов Иван <${CLIENT.address}>`, { exact: true })).toBeVisible();

  await clientWrites(mail.dovecot, 'Third');
  await expect(reply.getByRole('group')).toHaveCount(0);
  await expect(reply.getByText(`To: Иванов Иван <${CLIENT.address}>`, { exact: true })).toBeVisible();
});

test('in Russian: «Ответ», «Кому:» and the warning in the words operators know', async ({ postdesk, mail, workdir }) => {
  await clientWrites(mail.dovecot, 'Документы', OTHER);
  const { page } = await openConversation(postdesk, mail, workdir, 'ru');
  const reply = page.getByRole('form', { name: 'Ответ' });
  await expect(reply.getByText(`Кому: Иванов Иван <${CLIENT.address}>`, { exact: true })).toBeVisible();
  await expect(reply.getByRole('group')).toHaveAccessibleName(`Письмо пришло с адреса ${CLIENT.address}, но просит отвечать на ${OTHER}. Прежде чем отправлять туда документы, убедитесь, что это адрес клиента. Куда отправить ответ:`);
  await reply.getByRole('radio', { name: OTHER, exact: true }).check();
  await expect(reply.getByText(`Кому: ${OTHER}`, { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'История переписки' }).getByText(`Адрес для ответа: ${OTHER}`, { exact: true })).toBeVisible();
});
