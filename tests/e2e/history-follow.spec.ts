// The history follows the conversation: it opens at the newest message, shows what the operator
// just sent with its status, and keeps up with new mail while the operator is at the bottom —
// but not while they read further up: then a "New messages" button takes them down.
import path from 'node:path';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp, type LmtpTarget } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { JPEG, PNG } from '../support/sample-files';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 640 } });

const LONG_TEXT = Array.from({ length: 12 }, (_, i) => `Line ${i + 1} of a long question about the order and its documents.`).join('\n');

function clientWrites(dovecot: LmtpTarget, subject: string) {
  return buildMessage({
    from: `Иванов Иван <${CLIENT.address}>`,
    to: OPERATOR.address,
    subject,
    text: LONG_TEXT,
    attachments: [
      { filename: 'photo.png', content: PNG, contentType: 'image/png' },
      { filename: 'scan.jpg', content: JPEG, contentType: 'image/jpeg' },
    ],
  }).then((raw) => deliverLmtp(dovecot, OPERATOR.address, raw));
}

test('opens at the newest message, shows a sent reply with its status, and follows new mail only while at the bottom', async ({ postdesk, mail, workdir }) => {
  for (let i = 1; i <= 6; i++) await clientWrites(mail.dovecot, `Question ${i}`);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const history = page.getByRole('list', { name: 'Conversation history' });
  await expect(history.getByRole('heading', { name: 'Question 6' })).toBeInViewport();

  const reply = page.getByRole('form', { name: 'Reply' });
  await reply.getByRole('textbox', { name: 'Message' }).fill('Thank you, all received.');
  await reply.getByRole('button', { name: 'Send' }).click();
  const sent = history.getByRole('article').last();
  await expect(sent.getByText('Sent', { exact: true })).toBeVisible();
  await expect(sent.getByText('Sent', { exact: true })).toBeInViewport();

  // At the bottom: new mail comes into view by itself.
  await clientWrites(mail.dovecot, 'Question 7');
  await expect(history.getByRole('heading', { name: 'Question 7' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'New messages' })).toHaveCount(0);

  // Reading further up: the history stays put, and a button says there is more below.
  await page.locator('.history').evaluate((el) => (el.scrollTop = 0));
  await expect(history.getByRole('heading', { name: 'Question 1' })).toBeInViewport();
  await clientWrites(mail.dovecot, 'Question 8');
  const newMessages = page.getByRole('button', { name: 'New messages' });
  await expect(newMessages).toBeVisible();
  await expect(history.getByRole('heading', { name: 'Question 1' })).toBeInViewport();
  await newMessages.click();
  await expect(history.getByRole('heading', { name: 'Question 8' })).toBeInViewport();
  await expect(newMessages).toHaveCount(0);
});
