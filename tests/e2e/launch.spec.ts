// The app starts with no mail server at all: the one spec CI runs through Electron on Windows and
// macOS too, where no Dovecot is installed (.github/workflows/desktop.yml, `--grep @no-mail-server`),
// so the first launch of the real app on those systems is CI's, not an operator's.
import path from 'node:path';
import { OFFLINE_CHANNEL, writeConfig } from '../support/config-file';
import { expect, test } from './fixtures';

test('starts, shows an unreachable server as the channel’s error, and starts again on the same data @no-mail-server', async ({ postdesk, workdir }) => {
  const config = writeConfig(workdir, { channels: [{ ...OFFLINE_CHANNEL, name: 'Support' }] });
  const dataDir = path.join(workdir, 'data');
  for (const start of ['first', 'again']) {
    const desk = await postdesk.open({ config, dataDir, lang: 'ru' });
    const { page } = desk;
    await expect(page.getByRole('tab', { name: 'Активные' }), start).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Завершенные' })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Поиск клиентов' })).toBeVisible();
    // Nothing listens on the channel's port: the reason is shown, and the app goes on.
    const errors = page.getByRole('list', { name: 'Каналы e-mail' }).getByRole('status').filter({ hasText: /^Ошибка: / });
    await expect(errors.first()).toBeVisible({ timeout: 20_000 });
    await desk.close();
  }
});
