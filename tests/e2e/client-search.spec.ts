import path from 'node:path';
import { loadConfig } from '../../main/config/load';
import { openServices, type Services } from '../../main/services';
import { channelFor, CLIENT, OPERATOR, writeConfig, type MailServers } from '../support/config-file';
import { buildMessage } from '../support/mail-builder';
import type { Postdesk } from './driver';
import { expect, test } from './fixtures';

/** Postdesk on a data dir that `seed` filled first (clients, stored mail), with its page. */
async function seededDesk(postdesk: Postdesk, mail: MailServers, workdir: string, seed: (services: Services) => Promise<void> | void) {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const dataDir = path.join(workdir, 'data');
  const services = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  await seed(services);
  await services.close();
  return postdesk.open({ config, dataDir });
}

test('the search field finds a client by each of the five attributes, highlighting what matched', async ({ postdesk, mail, workdir }) => {
  const { page } = await seededDesk(postdesk, mail, workdir, (services) => {
    services.clients.create({ name: 'Иванов Иван', phone: '+7 999 123-45-67', email: 'Ivan.Ivanov@Example.test', externalId: 'CRM-004217', messengerUsername: 'ivanych' });
    services.clients.create({ name: 'Anna Petrova', phone: '+7 912 000-11-22', email: 'anna@example.test', externalId: 'CRM-000001', messengerUsername: 'anna_p' });
  });
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  const results = page.getByRole('list', { name: 'Clients found' });
  for (const [query, highlighted] of [
    ['иван', 'Иванов Иван'],
    ['8 (999) 1234567', '+7 999 123-45-67'],
    ['9991234567', '+7 999 123-45-67'],
    ['IVAN.IVANOV@EXAMPLE.TEST', 'Ivan.Ivanov@Example.test'],
    ['CRM-004217', 'CRM-004217'],
    ['@ivanych', 'ivanych'],
    ['ivanych', 'ivanych'],
  ] as const) {
    await search.fill(query);
    await expect(results.getByRole('listitem')).toHaveCount(1);
    const option = results.getByRole('listitem', { name: 'Иванов Иван' });
    await expect(option.locator('mark')).toHaveText(highlighted);
  }
  // The arrow keys go from the field from row to row (Tab from a row reaches its Write outgoing); Esc comes back.
  await search.fill('CRM-00');
  await expect(results.getByRole('listitem')).toHaveCount(2);
  const row = (name: string) => results.getByRole('listitem', { name }).getByRole('button', { name, exact: true });
  const write = (name: string) => results.getByRole('listitem', { name }).getByRole('button', { name: 'Write outgoing' });
  await search.press('ArrowDown');
  await expect(row('Anna Petrova')).toBeFocused();
  await expect(row('Anna Petrova')).toHaveAccessibleDescription(/\+7 912 000-11-22.*anna@example\.test/);
  await page.keyboard.press('Tab');
  await expect(write('Anna Petrova')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(row('Иванов Иван')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(row('Anna Petrova')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('CRM-00');

  // Going elsewhere hides the results; back in the field, they are there again.
  await page.getByRole('tab', { name: 'Completed' }).click();
  await expect(results).toHaveCount(0);
  await search.focus();
  await expect(results.getByRole('listitem', { name: 'Иванов Иван' })).toBeVisible();
  await search.fill('nobody like this');
  await expect(page.getByText('No client found.')).toBeVisible();
});

test('part of a phone number finds the client, and choosing them opens their conversation; one without a conversation is offered Write outgoing', async ({ postdesk, mail, workdir }) => {
  const { page } = await seededDesk(postdesk, mail, workdir, async (services) => {
    services.clients.create({ name: 'Иванов Иван', phone: '8 (912) 555-44-33', email: CLIENT.address });
    services.clients.create({ name: 'Петров Пётр', phone: '+7 903 111-22-33', email: 'petrov@example.test' });
    // The client's mail, filed under them as the sync files it.
    await services.ingest.ingest('support', await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Где мой заказ?', text: 'Номер заказа 42.' }));
  });
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  const results = page.getByRole('list', { name: 'Clients found' });
  const history = page.getByRole('list', { name: 'Conversation history' });
  // The last seven digits as written on a card; digits from the middle; found by the phone.
  for (const query of ['555-44-33', '25554']) {
    await search.fill(query);
    await expect(results.getByRole('listitem')).toHaveCount(1);
    await expect(results.getByRole('listitem', { name: 'Иванов Иван' }).locator('mark')).toHaveText('8 (912) 555-44-33');
  }

  // A click on the row opens the conversation; the search closes and its field keeps the focus.
  await results.getByRole('button', { name: 'Иванов Иван', exact: true }).click();
  await expect(history.getByRole('article')).toHaveCount(1);
  await expect(history.getByRole('article')).toContainText('Номер заказа 42.');
  await expect(page.getByRole('list', { name: 'Active' }).getByRole('button', { name: /Иванов Иван/ })).toHaveAttribute('aria-current', 'true');
  await expect(results).toHaveCount(0);
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();

  // Completed now: Enter on the row finds it there, from the other tab.
  await page.getByRole('button', { name: 'Complete conversation' }).click();
  await search.fill('5554433');
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Completed' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('list', { name: 'Completed' }).getByRole('button', { name: /Иванов Иван/ })).toHaveAttribute('aria-current', 'true');
  await expect(history.getByRole('article')).toContainText('Номер заказа 42.');

  // Nobody has written to this client yet: the row says so, and Write outgoing has the focus.
  await search.fill('111-22-33');
  await expect(results.getByRole('listitem', { name: 'Петров Пётр' })).toBeVisible();
  await search.press('ArrowDown');
  await page.keyboard.press('Enter');
  const none = results.getByRole('listitem', { name: 'Петров Пётр' });
  await expect(none.getByRole('status')).toHaveText('There is no conversation with Петров Пётр yet: Write outgoing starts one.');
  const write = none.getByRole('button', { name: 'Write outgoing' });
  await expect(write).toBeFocused();
  await expect(write).toHaveAccessibleDescription('There is no conversation with Петров Пётр yet: Write outgoing starts one.');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'New outgoing message' })).toContainText('To: Петров Пётр <petrov@example.test>');
});
