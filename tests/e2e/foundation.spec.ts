import path from 'node:path';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { hostApi, startHost } from '../support/web-host';
import { browserOnly, expect, test } from './fixtures';

// The browser host's HTTP API, event stream and session cookie, driven from the test itself.
const HTTP_API = browserOnly('the browser host\'s HTTP API, event stream and session cookie: the desktop app talks over IPC');

/** Puts conversations into the data dir's SQLite file before the app starts, as earlier mail would have. */
async function seedStore(configFile: string, dataDir: string): Promise<void> {
  const services = await openServices({ config: loadConfig(configFile).config, dataDir, lang: 'en', version: 'seed', startMail: false });
  const active = services.clients.create({ name: 'Иванов Иван', email: 'ivan@example.test' });
  const done = services.clients.create({ name: 'Anna Petrova', email: 'anna@example.test' });
  services.conversations.ensure(active.id, 'support');
  services.conversations.setStatus(services.conversations.ensure(done.id, 'support'), 'completed');
  await services.close();
}

test('the app opens in Chromium and shows what SQLite holds, through the contract', async ({ postdesk, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const dataDir = path.join(workdir, 'data');
  await seedStore(config, dataDir);
  const desk = await postdesk.open({ config, dataDir, lang: 'en' });
  const { page } = desk;
  await expect(page).toHaveURL(desk.appUrl); // in the browser, the token moved from the address bar into a cookie
  await expect(page.getByRole('tab', { name: 'Active' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
  await expect(page.getByText('Anna Petrova')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Completed' }).click();
  await expect(page.getByRole('button', { name: /Anna Petrova/ })).toBeVisible();
  await expect(page.getByText('Иванов Иван')).toHaveCount(0);

  await expect(page.getByRole('searchbox', { name: 'Search clients' })).toBeVisible();
  // The channel from the config logged in to the real Dovecot at start-up.
  const channels = page.getByRole('list', { name: 'E-mail channels' });
  await expect(channels.getByText('Support')).toBeVisible();
  await expect(channels.getByRole('status')).toHaveText(['Connected', 'Sending: not tried yet']);
});

test('the page reads nothing before its event stream is open, so mail stored meanwhile shows at once', HTTP_API, async ({ page, mail, workdir }) => {
  const host = await startHost({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang: 'en' });
  try {
    // The host tells only the streams it has: mail stored before this page's stream is there
    // reaches the page only if it reads after that (it read at once, and kept "No active
    // conversations." for good; a channel read mid-sync stayed "Syncing 1 of 2").
    let letStreamThrough!: () => void;
    const streamHeld = new Promise<void>((resolve) => (letStreamThrough = resolve));
    let streamThrough = false;
    const readEarly: string[] = [];
    page.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (pathname.startsWith('/api/') && pathname !== '/api/events' && !streamThrough) readEarly.push(pathname);
    });
    await page.route('**/api/events', async (route) => {
      await streamHeld;
      streamThrough = true;
      await route.continue();
    });
    await page.goto(host.url);
    await deliverLmtp(mail.dovecot, OPERATOR.address, await buildMessage({ from: `Иванов Иван <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Hello' }));
    const api = hostApi(host, await host.sessionCookie());
    await expect.poll(async () => (await api.value('conversations.list', { status: 'active' })).length).toBe(1);
    letStreamThrough();
    await expect(page.getByRole('list', { name: 'Active' }).getByRole('button', { name: /Иванов Иван/ })).toBeVisible();
    await expect(page.getByRole('list', { name: 'E-mail channels' }).getByRole('status')).toHaveText(['Connected', 'Sending: not tried yet']);
    expect(readEarly).toEqual([]);
  } finally {
    await host.stop();
  }
});

test('what the event stream told of a channel stands against a list read before it but answered after it', HTTP_API, async ({ page, mail, workdir }) => {
  const host = await startHost({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data'), lang: 'en' });
  try {
    const api = hostApi(host, await host.sessionCookie());
    await expect.poll(async () => (await api.value('channels.list'))[0]!.state.kind).toBe('idle');
    // The page's list is read now (sending not tried yet) and answered only after Check
    // connection has found that sending works, which the page's stream says first.
    let answerList!: () => void;
    const listHeld = new Promise<void>((resolve) => (answerList = resolve));
    let listRead!: () => void;
    const read = new Promise<void>((resolve) => (listRead = resolve));
    await page.route('**/api/channels.list', async (route) => {
      const before = await route.fetch();
      listRead();
      await listHeld;
      await route.fulfill({ response: before });
    });
    await page.goto(host.url);
    await read;
    expect((await api.value('channels.check', { id: 'support' })).smtp.kind).toBe('ok');
    answerList();
    await expect(page.getByRole('list', { name: 'E-mail channels' }).getByRole('status')).toHaveText(['Connected', 'Sending: works']);
  } finally {
    await host.stop();
  }
});

test('a request without the session cookie is refused with 401', HTTP_API, async ({ page, request, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail)] });
  const host = await startHost({ config, dataDir: path.join(workdir, 'data') });
  try {
    const api = { 'Content-Type': 'application/json', 'X-Postdesk': '1' };
    const cookieName = `postdesk_${new URL(host.origin).port}`;
    for (const [method, url, headers] of [
      ['GET', `${host.origin}/`, {}],
      ['GET', `${host.origin}/?token=wrong`, {}],
      ['GET', `${host.origin}/?token=`, {}],
      ['GET', `${host.origin}/index.html`, {}],
      ['GET', `${host.origin}/api/events`, {}],
      ['POST', `${host.origin}/api/channels.list`, api],
      ['POST', `${host.origin}/api/channels.list`, { ...api, Cookie: `${cookieName}=not-the-session` }],
      // The one-time code is no session: it opens the page once, and never authorizes a call.
      ['POST', `${host.origin}/api/channels.list`, { ...api, Cookie: `${cookieName}=${new URL(host.url).searchParams.get('token')}` }],
    ] as const) {
      const response = await request.fetch(url, { method, headers, maxRedirects: 0 });
      expect(response.status(), `${method} ${url}`).toBe(401);
      expect(await response.text()).not.toContain('<script');
    }
    await page.goto(`${host.origin}/`);
    await expect(page.getByText(/each link Postdesk prints opens it once/)).toBeVisible();

    const ok = await request.post(`${host.origin}/api/channels.list`, { headers: { ...api, Cookie: await host.sessionCookie() } });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: [{ id: 'support' }] });
  } finally {
    await host.stop();
  }
});

test('the Russian UI uses the operators’ words, and a wrong password shows as the channel’s error', async ({ postdesk, mail, workdir }) => {
  const config = writeConfig(workdir, { channels: [channelFor(mail, { password: 'wrong' })] });
  const desk = await postdesk.open({ config, dataDir: path.join(workdir, 'data'), lang: 'ru' });
  const { page } = desk;
  await expect(page.getByRole('tab', { name: 'Активные' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Завершенные' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Поиск клиентов' })).toBeVisible();
  const state = page.getByRole('list', { name: 'Каналы e-mail' }).getByRole('status').filter({ hasText: /^Ошибка: / });
  // The reason in the operator's words, the server's own after it.
  await expect(state).toHaveText(/^Ошибка: Почтовый сервер не принял логин или пароль \(.*(auth|fail)/i);
  // Checking again goes through the contract and the event stream once more, with the same outcome.
  await page.getByRole('button', { name: 'Проверить подключение к Support' }).click();
  await expect(state).toHaveText(/^Ошибка: /);
});
