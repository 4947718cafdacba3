// Each test gets its own mail servers, data dir and config: nothing is shared between tests.
// `postdesk` opens the app through the driver the project chose (tests/e2e/driver.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Browser } from '@playwright/test';
import { MAILBOX_USERS, type MailServers } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { electronSkip, type DriverName } from '../support/electron-binary';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';
import { openInBrowser, openInElectron, type Desk, type Postdesk } from './driver';

interface Fixtures {
  /** IMAP connections one user may hold from one IP (Dovecot's default, 10): a team of desks on one mailbox needs more. */
  mailboxConnections: number;
  mail: MailServers & { dovecot: Dovecot; smtp: SmtpServerHandle };
  workdir: string;
  postdesk: Postdesk;
  /** The electron project's tests are skipped, with the reason, where no Electron binary exists. */
  electronPresent: void;
}

interface WorkerFixtures {
  /** Which driver opens Postdesk: set by the project (playwright.config.ts). */
  driver: DriverName;
  /** The project's Chromium, launched the first time a browser desk opens (never in the electron project). */
  chromium: () => Promise<Browser>;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  driver: ['browser', { option: true, scope: 'worker' }],
  chromium: [
    async ({ playwright }, use) => {
      let launched: Promise<Browser> | undefined;
      // Launched as the built-in `browser` fixture does: the project's launchOptions apply.
      await use(() => (launched ??= playwright.chromium.launch()));
      if (launched) await (await launched).close();
    },
    { scope: 'worker' },
  ],
  electronPresent: [
    async ({ driver }, use, testInfo) => {
      const skip = electronSkip(driver);
      // eslint-disable-next-line no-restricted-syntax -- the one sanctioned skip: electron tests where no Electron binary exists, reported as skipped with the reason
      testInfo.skip(skip.skip, skip.skip ? skip.reason : undefined);
      await use();
    },
    { auto: true },
  ],
  mailboxConnections: [10, { option: true }],
  mail: async ({ mailboxConnections }, use) => {
    const dovecot = await startDovecot({ users: MAILBOX_USERS, maxUserConnections: mailboxConnections });
    const smtp = await startSmtpServer({ deliverTo: dovecot });
    await use({ dovecot, smtp });
    await smtp.stop();
    await dovecot.stop();
  },
  // eslint-disable-next-line no-empty-pattern
  workdir: async ({}, use) => {
    const tmp = tempDir('postdesk-e2e-');
    await use(tmp.dir);
    tmp.cleanup();
  },
  postdesk: async ({ driver, chromium, playwright, workdir, viewport, ignoreHTTPSErrors }, use) => {
    const opened: Desk[] = [];
    await use({
      driver,
      async open(options) {
        let desk: Desk;
        if (driver === 'browser') desk = await openInBrowser(await chromium(), options);
        else {
          const dir = path.join(workdir, `desk-${opened.length + 1}`);
          mkdirSync(dir, { recursive: true });
          desk = await openInElectron(playwright, dir, { ...options, viewport, ignoreHTTPSErrors });
        }
        // A spec may close a desk itself (a desk that goes away); the rest close when the test ends.
        const close = once(desk.close);
        opened.push(Object.assign(desk, { close }));
        return desk;
      },
    });
    for (const desk of opened.reverse()) await desk.close();
  },
});

/**
 * A test the electron project leaves out (its grepInvert), with the reason it means nothing
 * there: what only the browser host has, or what the desktop app does natively instead.
 */
export function browserOnly(reason: string) {
  return { tag: '@browser-only', annotation: { type: 'browser-only', description: reason } };
}

export { expect } from '@playwright/test';
