// A private Dovecot with a filled INBOX, and a config whose channel reads it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { channelFor, OPERATOR, writeConfig } from '../tests/support/config-file';
import { startDovecot, type Dovecot } from '../tests/support/dovecot';

export interface MailFixture {
  dovecot: Dovecot;
  dir: string;
  configFile: string;
  stop(): Promise<void>;
}

export async function mailboxFixture(): Promise<MailFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
  const dovecot = await startDovecot({ users: [{ user: OPERATOR.address, password: OPERATOR.password }] });
  // No SMTP server is involved in reading; the channel still needs one configured.
  const configFile = writeConfig(dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 25 } })] });
  return { dovecot, dir, configFile, stop: () => dovecot.stop() };
}

/** Delivers `count` messages, each with one attachment of `size` random bytes, over one LMTP connection. */
export async function fillInbox(dovecot: Dovecot, count: number, size: number): Promise<void> {
  const transport = createTransport({ lmtp: true, host: dovecot.host, port: dovecot.lmtpPort, ignoreTLS: true, pool: true, maxMessages: Infinity });
  try {
    for (let i = 0; i < count; i++) {
      await transport.sendMail({
        from: 'Client <client@example.test>',
        to: OPERATOR.address,
        subject: `Bench message ${i}`,
        text: `Message ${i} with a file.`,
        attachments: [{ filename: `file-${i}.pdf`, content: randomBytes(size), contentType: 'application/pdf' }],
      });
    }
  } finally {
    transport.close();
  }
}

/** An mbsync config that pulls the same INBOX into a maildir, as plainly as ours reads it. */
export function mbsyncConfig(dovecot: Dovecot, maildir: string): string {
  return `IMAPAccount bench
Host ${dovecot.host}
Port ${dovecot.imapPort}
User ${OPERATOR.address}
Pass ${OPERATOR.password}
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path ${maildir}/
Inbox ${maildir}/INBOX

Channel inbox
Far :remote:INBOX
Near :local:INBOX
Sync Pull
Create Near
SyncState *
`;
}
