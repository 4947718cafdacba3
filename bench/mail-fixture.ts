// A private Dovecot with a filled INBOX, and a config whose channel reads it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { channelFor, OPERATOR, writeConfig } from '../tests/support/config-file';
import { startDovecot, type Dovecot } from '../tests/support/dovecot';

export interface MailFixture {
  dovecot: Dovecot;
  dir: string;
  configFile: string;
  /** Stops Dovecot and removes `dir` with what the bench wrote there. */
  stop(): Promise<void>;
}

export async function mailboxFixture(): Promise<MailFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
  const dovecot = await startDovecot({ users: [{ user: OPERATOR.address, password: OPERATOR.password }] });
  // No SMTP server is involved in reading; the channel still needs one configured.
  const configFile = writeConfig(dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 25 } })] });
  return { dovecot, dir, configFile, stop: () => dovecot.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
}

/** A client's message as nodemailer writes it: a text body and one attachment, in base64. */
function clientMessage(subject: string, attachment: { filename: string } & ({ content: Buffer } | { path: string })): Mail.Options {
  return {
    from: 'Client <client@example.test>',
    to: OPERATOR.address,
    subject,
    text: `${subject}: see the attached file.`,
    attachments: [{ ...attachment, contentType: 'application/pdf' }],
  };
}

function lmtp(dovecot: Dovecot): Transporter {
  return createTransport({ lmtp: true, host: dovecot.host, port: dovecot.lmtpPort, ignoreTLS: true, pool: true, maxMessages: Infinity });
}

async function deliver(transport: Transporter, message: Mail.Options): Promise<void> {
  const info = await transport.sendMail(message);
  if (info.rejected?.length) throw new Error(`LMTP refused ${message.subject}: ${JSON.stringify(info.response)}`);
}

/**
 * Connections that deliver at once: Dovecot stores messages while we compose the next ones. On
 * 2 shared cores, 2000 × 100 KB took 16.5–27.4 s over one connection and 9.8–16.8 s over four,
 * then both cores were busy (~8 ms of CPU a message, ours and Dovecot's); eight gained nothing more.
 */
const LMTP_CONNECTIONS = 4;

/** Delivers `count` messages, each with its own subject and one attachment of `size` random bytes. */
export async function fillInbox(dovecot: Dovecot, count: number, size: number): Promise<void> {
  let next = 0;
  const connection = async () => {
    const transport = lmtp(dovecot);
    try {
      for (let i = next++; i < count; i = next++) {
        await deliver(transport, clientMessage(`Bench message ${i}`, { filename: `file-${i}.pdf`, content: randomBytes(size) }));
      }
    } finally {
      transport.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LMTP_CONNECTIONS, count) }, connection));
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
