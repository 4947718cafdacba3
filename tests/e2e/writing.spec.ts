// Writing answers (issue 12, item 4) as an operator does it: the reply shows the quote folded
// and the signature it will carry, a template goes in from the keyboard with its file, and what
// the client receives has all of it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { PDF } from '../support/sample-files';
import { expect, test } from './fixtures';

test('a reply quotes the client, carries the signatures, and takes a template with its file from the keyboard', async ({ postdesk, mail, workdir }) => {
  await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Prices?', text: 'Send me your prices, please.' }));
  const priceList = path.join(workdir, 'prices.pdf');
  writeFileSync(priceList, PDF);
  const config = writeConfig(workdir, {
    channels: [{ ...channelFor(mail), signature: 'ACME Support' }],
    templates: [
      { name: 'Greeting', text: 'Good afternoon!' },
      { name: 'Price list', text: 'Our price list is attached.', files: [priceList] },
    ],
  });
  const desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  // The operator's own signature, written once in the app.
  await page.getByRole('button', { name: 'Signature' }).click();
  const signature = page.getByRole('dialog', { name: 'Your signature' });
  await signature.getByRole('textbox', { name: 'Signature' }).fill('Anna Smirnova');
  await signature.getByRole('button', { name: 'Save' }).click();
  await expect(signature).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Signature' })).toBeFocused();

  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const reply = page.getByRole('form', { name: 'Reply' });
  await expect(reply.getByText('-- \nAnna Smirnova\nACME Support')).toBeVisible();
  const showQuote = reply.getByRole('button', { name: 'Show quoted text' });
  await expect(showQuote).toHaveAttribute('aria-expanded', 'false');
  await expect(reply.getByText('Send me your prices, please.')).toHaveCount(0);
  await showQuote.click();
  await expect(showQuote).toHaveAttribute('aria-expanded', 'true');
  await expect(reply.getByText('Send me your prices, please.')).toBeVisible();

  // Insert template: type to filter, Enter to insert; its text at the cursor, its file attached.
  const field = reply.getByRole('textbox', { name: 'Message' });
  await field.fill('Hello. ');
  await reply.getByRole('button', { name: 'Insert template' }).click();
  const picker = page.getByRole('dialog', { name: 'Insert template' });
  await expect(picker.getByRole('option')).toHaveText([/Greeting/, /Price list/]);
  await picker.getByRole('combobox', { name: 'Search templates' }).fill('price');
  await expect(picker.getByRole('option')).toHaveText([/Price list/]);
  await picker.getByRole('combobox', { name: 'Search templates' }).press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(field).toHaveValue('Hello. Our price list is attached.');
  await expect(reply.getByRole('list', { name: 'Attachments' }).getByRole('listitem')).toHaveText([/prices\.pdf/]);

  // Ctrl+Enter sends.
  await field.press('Control+Enter');
  const [sent] = await mail.smtp.waitForMessages(1);
  const received = await simpleParser(sent!.raw);
  expect(received.text).toMatch(/^Hello\. Our price list is attached\.\n\n-- \nAnna Smirnova\nACME Support\n\n.*Иванов Иван wrote:\n> Send me your prices, please\.\n?$/);
  expect(received.attachments.map((a) => a.filename)).toEqual(['prices.pdf']);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
});
