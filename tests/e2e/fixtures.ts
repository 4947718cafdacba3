// Each test gets its own mail servers, data dir and config: nothing is shared between tests.
import { test as base } from '@playwright/test';
import { MAILBOX_USERS, type MailServers } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';

interface Fixtures {
  /** IMAP connections one user may hold from one IP (Dovecot's default, 10): a team of desks on one mailbox needs more. */
  mailboxConnections: number;
  mail: MailServers & { dovecot: Dovecot; smtp: SmtpServerHandle };
  workdir: string;
}

export const test = base.extend<Fixtures>({
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
});

export { expect } from '@playwright/test';
