import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { channelFor, CLIENT, OPERATOR, SUPERVISOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { expect, test } from './fixtures';

const MB = 1024 * 1024;

test('a 3 MB HTML mail shows its first 1 MB with a note, the page stays usable, and Show the whole message shows its end', async ({ postdesk, mail, workdir }) => {
  const row = '<p>Line of the quarterly report with <b>figures</b> and a <a href="https://example.test/">link</a>.</p>\n';
  const html = `<p>Start of the report</p>\n${row.repeat(Math.ceil((3 * MB) / row.length))}<p>End of the report: signed, Ivanov</p>`;
  const long = await new MailComposer({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Quarterly report', html }).compile().build();
  const short = await new MailComposer({ from: `Петрова Анна <${SUPERVISOR.address}>`, to: OPERATOR.address, subject: 'Short question', text: 'Where is my order?' }).compile().build();
  await deliverLmtp(mail.dovecot, OPERATOR.address, long);
  await deliverLmtp(mail.dovecot, OPERATOR.address, short);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  // Laying out megabytes of HTML takes Chromium seconds on a loaded machine; nothing here waits on a clock.
  test.setTimeout(180_000);
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const report = page.getByRole('article');
  await expect(report.getByText('Start of the report')).toBeVisible({ timeout: 60_000 });
  await expect(report.getByText('This message is very long: only its beginning is shown here.')).toBeVisible();
  await expect(report.getByText('End of the report: signed, Ivanov')).toHaveCount(0);

  // The page still answers: another conversation opens, and this one again.
  await page.getByRole('button', { name: /Петрова Анна/ }).click();
  await expect(page.getByRole('article').getByText('Where is my order?')).toBeVisible();
  await page.getByRole('button', { name: /Иванов Иван/ }).click();

  await report.getByRole('button', { name: 'Show the whole message' }).click();
  await expect(report.getByText('End of the report: signed, Ivanov')).toBeVisible({ timeout: 60_000 });
  await expect(report.getByRole('button', { name: 'Show the whole message' })).toHaveCount(0);
});

test('a mail too long even for Show the whole message says so and offers the original', async ({ postdesk, mail, workdir }) => {
  test.setTimeout(180_000);
  const line = 'Log line of the terminal export, kept for the record. 0123456789\n';
  const text = `Start of the log\n${line.repeat(Math.ceil((33 * MB) / line.length))}End of the log`;
  const raw = await new MailComposer({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Terminal log', text }).compile().build();
  await deliverLmtp(mail.dovecot, OPERATOR.address, raw);
  const desk = await postdesk.open({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  const { page } = desk;
  await page.getByRole('button', { name: /Иванов Иван/ }).click();
  const log = page.getByRole('article');
  await expect(log.getByText('This message is very long: only its beginning is shown here.')).toBeVisible({ timeout: 60_000 });
  await log.getByRole('button', { name: 'Show the whole message' }).click();
  await expect(log.getByText('The message is too large to show here (more than 32 MB). Save the original to read it.')).toBeVisible({ timeout: 60_000 });
  const download = desk.nextSave();
  await log.getByText(/too large to show here/).getByRole('button', { name: 'Save original' }).click();
  expect((await download).suggestedFilename()).toBe('Terminal log.eml');
});
