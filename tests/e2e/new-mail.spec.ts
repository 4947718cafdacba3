// New mail you notice (issue 12, item 3) in the browser host: the Active tab and the window title
// count conversations with unread mail, and once the operator turns them on (the browser asks)
// a desktop notification names who wrote; clicking it opens that conversation.
import path from 'node:path';
import { channelFor, CLIENT, OPERATOR, SUPERVISOR, writeConfig } from '../support/config-file';
import { deliverLmtp, type LmtpTarget } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { startHost } from '../support/web-host';
import { browserOnly, expect, test } from './fixtures';

function writes(dovecot: LmtpTarget, from: string, subject: string) {
  return buildMessage({ from, to: OPERATOR.address, subject }).then((raw) => deliverLmtp(dovecot, OPERATOR.address, raw));
}

test('counts unread conversations on Active and in the title, and a notification of new mail opens its conversation', browserOnly('the page\'s web notification: the desktop app notifies from main (Electron\'s Notification, tests/unit/electron-shell.test.ts)'), async ({ page, context, mail, workdir }) => {
  // The page's notifications are recorded here (headless Chromium shows none); the permission is the operator's yes.
  await page.addInitScript(() => {
    type Shown = { title: string; body: string; click(): void };
    type NotificationLike = { onclick: ((event: unknown) => void) | null };
    type NotificationClass = new (title: string, options?: { body?: string }) => NotificationLike;
    const page = globalThis as unknown as { Notification: NotificationClass; shownNotifications: Shown[] };
    const shown: Shown[] = [];
    page.shownNotifications = shown;
    const Real = page.Notification;
    page.Notification = class extends Real {
      constructor(title: string, options?: { body?: string }) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '', click: () => this.onclick?.(undefined) });
      }
    };
  });
  await writes(mail.dovecot, `Иванов Иван <${CLIENT.address}>`, 'Where is my order?');
  const host = await startHost({ config: writeConfig(workdir, { channels: [channelFor(mail)] }), dataDir: path.join(workdir, 'data') });
  try {
    await page.goto(host.url);
    await expect(page.getByRole('tab', { name: 'Active 1' })).toBeVisible();
    await expect(page).toHaveTitle('(1) Postdesk');

    // Off until the browser has the operator's yes (granted here as the operator would in the browser's prompt).
    await context.grantPermissions(['notifications'], { origin: host.origin });
    await page.getByRole('button', { name: 'Turn on desktop notifications' }).click();
    await expect(page.getByRole('button', { name: 'Turn off desktop notifications' })).toHaveAttribute('aria-pressed', 'true');

    await writes(mail.dovecot, `Anna Smirnova <${SUPERVISOR.address}>`, 'Invoice, please');
    await expect(page.getByRole('tab', { name: 'Active 2' })).toBeVisible();
    await expect(page).toHaveTitle('(2) Postdesk');
    const shown = () =>
      page.evaluate(() => (globalThis as unknown as { shownNotifications: Array<{ title: string; body: string }> }).shownNotifications.map(({ title, body }) => ({ title, body })));
    await expect.poll(shown).toEqual([{ title: 'New mail from Anna Smirnova', body: 'Invoice, please' }]);

    // Clicking it opens that conversation: it is read now.
    await page.evaluate(() => (globalThis as unknown as { shownNotifications: Array<{ click(): void }> }).shownNotifications[0]!.click());
    await expect(page.getByRole('region', { name: 'Anna Smirnova' }).getByRole('heading', { name: 'Anna Smirnova' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Active 1' })).toBeVisible();
    await expect(page).toHaveTitle('(1) Postdesk');

    // Turned off: new mail counts, but raises no notification.
    await page.getByRole('button', { name: 'Turn off desktop notifications' }).click();
    await writes(mail.dovecot, `Иванов Иван <${CLIENT.address}>`, 'Anyone there?');
    await expect(page.getByRole('list', { name: 'Active' }).getByRole('button', { name: /Anyone there\?/ })).toBeVisible();
    expect(await shown()).toHaveLength(1);
  } finally {
    await host.stop();
  }
});
