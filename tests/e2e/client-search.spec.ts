import path from 'node:path';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { channelFor, writeConfig } from '../support/config-file';
import { startHost } from '../support/web-host';
import { expect, test } from './fixtures';

test('the search field finds a client by each of the five attributes, highlighting what matched', async ({ page, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const dataDir = path.join(workdir, 'data');
  const services = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  services.clients.create({ name: 'Иванов Иван', phone: '+7 999 123-45-67', email: 'Ivan.Ivanov@Example.test', externalId: 'CRM-004217', messengerUsername: 'ivanych' });
  services.clients.create({ name: 'Anna Petrova', phone: '+7 912 000-11-22', email: 'anna@example.test', externalId: 'CRM-000001', messengerUsername: 'anna_p' });
  await services.close();
  const host = await startHost({ config, dataDir });
  try {
    await page.goto(host.url);
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
    // The arrow keys go from the field through the rows' Write outgoing buttons; Esc comes back.
    await search.fill('CRM-00');
    await expect(results.getByRole('listitem')).toHaveCount(2);
    const write = (name: string) => results.getByRole('listitem', { name }).getByRole('button', { name: 'Write outgoing' });
    await search.press('ArrowDown');
    await expect(write('Anna Petrova')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(write('Иванов Иван')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(write('Anna Petrova')).toBeFocused();
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
  } finally {
    await host.stop();
  }
});
