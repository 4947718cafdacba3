import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp.js';

const OPERATOR = { user: 'operator@example.test', password: 'operator-secret' };
const CLIENT = { user: 'client@example.test', password: 'client-secret' };
const HOOK_TIMEOUT_MS = 30_000;

// Every byte value, plus random bytes, so any 7-bit or charset mangling on the way shows up.
const pdfBytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(8192)]);
const csvBytes = Buffer.from('id;name\n1;Иванов\n', 'utf8');

describe('mail test harness (real Dovecot + smtp-server)', () => {
  let dovecot: Dovecot | undefined;
  let smtp: SmtpServerHandle | undefined;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [OPERATOR, CLIENT] });
    smtp = await startSmtpServer({ deliverTo: dovecot });
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    // Both in any case: a failed start of one must not leak the other.
    await Promise.allSettled([smtp?.stop(), dovecot?.stop()]);
  }, HOOK_TIMEOUT_MS);

  const sender = (): ReturnType<typeof createTransport> => {
    if (!smtp) throw new Error('SMTP server did not start');
    return createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
  };

  it('delivers a message with a Cyrillic-named binary attachment byte for byte', async () => {
    if (!smtp || !dovecot) throw new Error('servers did not start');
    const subject = 'Заявка №42: договор';
    const transport = sender();
    try {
      await transport.sendMail({
        from: CLIENT.user,
        to: OPERATOR.user,
        subject,
        text: 'Добрый день, договор во вложении.',
        attachments: [
          { filename: 'Договор №5.pdf', content: pdfBytes, contentType: 'application/pdf' },
          { filename: 'clients.csv', content: csvBytes, contentType: 'text/csv' },
        ],
      });
    } finally {
      transport.close();
    }

    const [received] = await smtp.waitForMessages(1);
    expect(received?.from).toBe(CLIENT.user);
    expect(received?.to).toEqual([OPERATOR.user]);

    const imap = new ImapFlow({
      host: dovecot.host,
      port: dovecot.imapPort,
      secure: false,
      auth: { user: OPERATOR.user, pass: OPERATOR.password },
      logger: false,
    });
    imap.on('error', () => undefined);
    await imap.connect();
    let source: Buffer | undefined;
    try {
      const lock = await imap.getMailboxLock('INBOX');
      try {
        const message = await imap.fetchOne('*', { source: true });
        source = message ? message.source : undefined;
      } finally {
        lock.release();
      }
    } finally {
      await imap.logout();
    }
    expect(source).toBeInstanceOf(Buffer);

    const parsed = await simpleParser(source as Buffer);
    expect(parsed.subject).toBe(subject);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['Договор №5.pdf', 'clients.csv']);
    expect(parsed.attachments[0]?.content.equals(pdfBytes)).toBe(true);
    expect(parsed.attachments[1]?.content.equals(csvBytes)).toBe(true);
  });

  it('answers the next DATA with an injected 451, then accepts again', async () => {
    if (!smtp) throw new Error('SMTP server did not start');
    const before = smtp.received.length;
    smtp.failNext([{ code: 451, message: 'try later' }]);
    const message = { from: CLIENT.user, to: OPERATOR.user, subject: 'retry me', text: 'hello' };

    const transport = sender();
    try {
      await expect(transport.sendMail(message)).rejects.toMatchObject({ responseCode: 451 });
      expect(smtp.received).toHaveLength(before);

      await transport.sendMail(message);
    } finally {
      transport.close();
    }
    const all = await smtp.waitForMessages(before + 1);
    expect(all[before]?.to).toEqual([OPERATOR.user]);
  });

  it('refuses a recipient Dovecot does not have at RCPT with 550, and delivers to the others of the same message', async () => {
    if (!smtp) throw new Error('SMTP server did not start');
    const before = smtp.received.length;
    const transport = sender();
    try {
      // The only recipient unknown: nodemailer is refused at RCPT, before DATA, with the server's words.
      await expect(transport.sendMail({ from: CLIENT.user, to: 'nobody@example.test', subject: 'lost', text: 'x' })).rejects.toMatchObject({
        code: 'EENVELOPE',
        responseCode: 550,
        response: expect.stringContaining('nobody@example.test'),
      });
      // One known, one unknown (its case folded, as Dovecot folds it): the known one gets it.
      const info = await transport.sendMail({ from: CLIENT.user, to: ['OPERATOR@example.test', 'nobody@example.test'], subject: 'half', text: 'x' });
      expect(info.rejected).toEqual(['nobody@example.test']);
      expect(info.rejectedErrors?.[0]).toMatchObject({ responseCode: 550 });
    } finally {
      transport.close();
    }
    const all = await smtp.waitForMessages(before + 1);
    expect(all.slice(before).map((m) => m.to)).toEqual([['OPERATOR@example.test']]);
  });
});
