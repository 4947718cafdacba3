import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LmtpTarget } from './dovecot';

export interface MailServers {
  dovecot: LmtpTarget & { imapPort: number };
  smtp: { host: string; port: number };
}

export const OPERATOR = { address: 'operator@example.test', password: 'operator-secret' };
export const CLIENT = { address: 'client@example.test', password: 'client-secret' };
/** Someone operators copy in BCC (a real mailbox, so the test SMTP server can deliver to it). */
export const SUPERVISOR = { address: 'supervisor@example.test', password: 'supervisor-secret' };

/** A channel whose servers are never reached: for tests that store mail without syncing it. */
export const OFFLINE_CHANNEL = {
  id: 'offline',
  name: 'Offline',
  address: OPERATOR.address,
  imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
  smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
};

/** One e-mail channel pointing at the test's own Dovecot and SMTP server (plain text on loopback). */
export function channelFor(servers: MailServers, overrides: { id?: string; name?: string; password?: string } = {}) {
  return {
    id: overrides.id ?? 'support',
    name: overrides.name ?? 'Support',
    address: OPERATOR.address,
    imap: {
      host: servers.dovecot.host,
      port: servers.dovecot.imapPort,
      tls: 'none',
      user: OPERATOR.address,
      password: overrides.password ?? OPERATOR.password,
    },
    smtp: { host: servers.smtp.host, port: servers.smtp.port, tls: 'none', user: OPERATOR.address, password: OPERATOR.password },
  };
}

export function writeConfig(dir: string, content: unknown, name = 'postdesk.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

/** The operator's and the client's mailboxes, as Dovecot users. */
export const MAILBOX_USERS = [
  { user: OPERATOR.address, password: OPERATOR.password },
  { user: CLIENT.address, password: CLIENT.password },
  { user: SUPERVISOR.address, password: SUPERVISOR.password },
];
