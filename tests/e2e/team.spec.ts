// A team on one mailbox (issue 11), as operators see it: two desks — two Postdesks, each with
// its own config (its operator) and data dir — on one Dovecot mailbox, agreeing through the mail
// server alone. What one operator does (starts a reply, answers, completes) shows on the other's page.
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from '@playwright/test';
import { channelFor, CLIENT, OPERATOR, writeConfig, type MailServers } from '../support/config-file';
import { deliverLmtp, type LmtpTarget } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import type { Desk, Postdesk } from './driver';
import { expect, test } from './fixtures';

const CLIENT_NAME = 'Иванов Иван';

// Each desk holds three IMAP connections per channel (INBOX, Sent, the desks' folder).
test.use({ mailboxConnections: 40 });

/** One operator's desk: Postdesk with the operator's own config and data dir, and its own page. */
async function openDesk(postdesk: Postdesk, mail: MailServers, workdir: string, operator: string, lang: 'en' | 'ru' = 'en'): Promise<Desk> {
  const config = writeConfig(workdir, { channels: [{ ...channelFor(mail), sentMailbox: 'Sent' }], operator: { name: operator } }, `${operator}.json`);
  return postdesk.open({ config, dataDir: path.join(workdir, operator), lang });
}

/** Alice's and Bob's desks, started side by side (whichever started is closed when the test ends). */
async function openDesks(postdesk: Postdesk, mail: MailServers, workdir: string, bobLang: 'en' | 'ru' = 'en'): Promise<[Desk, Desk]> {
  return Promise.all([openDesk(postdesk, mail, workdir, 'Alice'), openDesk(postdesk, mail, workdir, 'Bob', bobLang)]);
}

/** The client writes to the support mailbox, delivered like real mail. */
async function clientWrites(dovecot: LmtpTarget, subject: string, messageId: string, inReplyTo?: string, references?: string[]): Promise<void> {
  const raw = await buildMessage({ from: `${CLIENT_NAME} <${CLIENT.address}>`, to: OPERATOR.address, subject, messageId, inReplyTo, references });
  await deliverLmtp(dovecot, OPERATOR.address, raw);
}

const rowIn = (page: Page, tab: 'Active' | 'Completed') => page.getByRole('list', { name: tab }).getByRole('button', { name: new RegExp(CLIENT_NAME) });
const history = (page: Page) => page.getByRole('list', { name: 'Conversation history' });
const messageField = (page: Page) => page.getByRole('form', { name: 'Reply' }).getByRole('textbox', { name: 'Message' });

test('two operators on one mailbox: "Alice is replying", Send anyway? / Cancel, her answer, Complete and the client’s answer show on both desks', async ({ postdesk, mail, workdir }) => {
  const firstId = `<first.${Date.now()}@client.test>`;
  const [alice, bob] = await openDesks(postdesk, mail, workdir);

  // 1. The client writes: both desks have the conversation under Active.
  await clientWrites(mail.dovecot, 'Where is my order?', firstId);
  await expect(rowIn(alice.page, 'Active')).toBeVisible();
  await expect(rowIn(bob.page, 'Active')).toBeVisible();

  // 2. Bob has it open; Alice opens it and starts typing: Bob sees "Alice is replying", in the conversation and its row.
  await rowIn(bob.page, 'Active').click();
  await expect(history(bob.page).getByRole('article')).toHaveCount(1);
  await rowIn(alice.page, 'Active').click();
  await expect(history(alice.page).getByRole('article')).toHaveCount(1);
  await messageField(alice.page).pressSequentially('Your order left ');
  await messageField(alice.page).fill('Your order left the warehouse today.');
  await expect(bob.page.getByRole('status').filter({ hasText: /^Alice is replying$/ })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Take over' })).toBeVisible();
  await expect(rowIn(bob.page, 'Active')).toContainText('Alice is replying');
  // Alice is not told about herself.
  await expect(alice.page.getByRole('status').filter({ hasText: 'is replying' })).toHaveCount(0);

  // 3. Bob writes too and presses Send: he is asked first, and Cancel sends nothing.
  await messageField(bob.page).fill('We are looking into it.');
  await bob.page.getByRole('form', { name: 'Reply' }).getByRole('button', { name: 'Send', exact: true }).click();
  const confirm = bob.page.getByRole('dialog', { name: 'Send anyway?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('Alice is replying to this client right now.');
  await expect(confirm.getByRole('button', { name: 'Send anyway', exact: true })).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(bob.page.getByRole('dialog')).toHaveCount(0);
  await expect(messageField(bob.page)).toHaveValue('We are looking into it.');
  await expect(history(bob.page).getByRole('article')).toHaveCount(1);
  expect(mail.smtp.dataAttempts).toBe(0);

  // 4. Alice sends: Bob's history shows her answer, and she is no longer replying.
  await alice.page.getByRole('form', { name: 'Reply' }).getByRole('button', { name: 'Send', exact: true }).click();
  const [answer] = await mail.smtp.waitForMessages(1);
  const answerId = (await simpleParser(answer!.raw)).messageId!;
  expect(answerId).toBeTruthy();
  await expect(history(bob.page).getByRole('article')).toHaveCount(2);
  const answered = history(bob.page).getByRole('article').last();
  await expect(answered.getByText('Operator · Alice', { exact: true })).toBeVisible();
  await expect(answered).toContainText('Your order left the warehouse today.');
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice is replying' })).toHaveCount(0);
  await expect(rowIn(bob.page, 'Active')).not.toContainText('Alice is replying');
  // Bob's cancelled reply never went out.
  expect(mail.smtp.received).toHaveLength(1);

  // 5. Alice completes the conversation: on Bob's page it leaves Active for Completed.
  await alice.page.getByRole('button', { name: 'Complete conversation' }).click();
  await expect(rowIn(alice.page, 'Active')).toHaveCount(0);
  await expect(alice.page.getByRole('button', { name: 'Return to Active' })).toBeVisible();
  await expect(rowIn(bob.page, 'Active')).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: 'Return to Active' })).toBeVisible();
  await bob.page.getByRole('tab', { name: 'Completed' }).click();
  await expect(rowIn(bob.page, 'Completed')).toBeVisible();

  // 6. The client answers the operator's answer: Active again on both desks, one conversation with all three messages.
  await clientWrites(mail.dovecot, 'Re: Where is my order?', `<second.${Date.now()}@client.test>`, answerId, [firstId, answerId]);
  await expect(rowIn(bob.page, 'Completed')).toHaveCount(0);
  await bob.page.getByRole('tab', { name: 'Active' }).click();
  for (const desk of [alice, bob]) {
    const page = desk.page;
    await expect(page.getByRole('list', { name: 'Active' }).getByRole('button')).toHaveCount(1);
    await expect(rowIn(page, 'Active')).toContainText('Re: Where is my order?');
    await expect(page.getByRole('button', { name: 'Complete conversation' })).toBeVisible();
    const articles = history(page).getByRole('article');
    await expect(articles).toHaveCount(3);
    await expect(articles.nth(0).getByText('Client', { exact: true })).toBeVisible();
    await expect(articles.nth(0)).toContainText('Where is my order?');
    await expect(articles.nth(1).getByText('Operator · Alice', { exact: true })).toBeVisible();
    await expect(articles.nth(2).getByText('Client', { exact: true })).toBeVisible();
    await expect(articles.nth(2)).toContainText('Re: Where is my order?');
  }
  // One answer went out in all: Alice's.
  expect(mail.smtp.received).toHaveLength(1);
});

test('in Russian: another operator’s reply reads «Alice отвечает», and Send asks «Всё равно отправить?»', async ({ postdesk, mail, workdir }) => {
  const [alice, bob] = await openDesks(postdesk, mail, workdir, 'ru');
  await clientWrites(mail.dovecot, 'Где мой заказ?', `<ru.${Date.now()}@client.test>`);
  const bobRow = bob.page.getByRole('list', { name: 'Активные' }).getByRole('button', { name: new RegExp(CLIENT_NAME) });
  await bobRow.click();
  await rowIn(alice.page, 'Active').click();
  await messageField(alice.page).fill('Заказ уже в пути.');

  await expect(bob.page.getByRole('status').filter({ hasText: /^Alice отвечает$/ })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Перехватить' })).toBeVisible();
  await expect(bobRow).toContainText('Alice отвечает');

  const reply = bob.page.getByRole('form', { name: 'Ответ' });
  await reply.getByRole('textbox', { name: 'Сообщение' }).fill('Проверяем.');
  await reply.getByRole('button', { name: 'Отправить', exact: true }).click();
  const confirm = bob.page.getByRole('dialog', { name: 'Всё равно отправить?' });
  await expect(confirm).toContainText('Alice прямо сейчас отвечает этому клиенту.');
  await expect(confirm.getByRole('button', { name: 'Всё равно отправить', exact: true })).toBeVisible();
  await confirm.getByRole('button', { name: 'Отмена', exact: true }).click();
  await expect(bob.page.getByRole('dialog')).toHaveCount(0);
  expect(mail.smtp.dataAttempts).toBe(0);
});
