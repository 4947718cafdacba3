import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { Receiver } from '../support/receiver';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);

describe('IMAP sync against a private Dovecot', () => {
  const tmp = tempDir('postdesk-sync-');
  let dovecot: Dovecot;
  let smtp: SmtpServerHandle;
  let config: Config;
  let receiver: Receiver | undefined;
  let counter = 0;

  const deliver = async (subject: string, attachments: Array<{ filename: string; content: Buffer }> = [], from = `Иван Петров <${CLIENT.address}>`) =>
    deliverLmtp(dovecot, OPERATOR.address, await buildMessage({ from, to: OPERATOR.address, subject, attachments, messageId: `<m${++counter}.${Date.now()}@client.test>` }));

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    smtp = await startSmtpServer({ deliverTo: dovecot });
    config = loadConfig(writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp })] })).config;
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    // Each test starts from an empty INBOX.
    await dovecot.doveadm('expunge', '-u', OPERATOR.address, 'mailbox', 'INBOX', 'all');
  });

  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    tmp.cleanup();
  });

  const syncedValidity = (r: Receiver) =>
    (r.db.prepare('SELECT uid_validity AS v FROM imap_sync_state').get() as { v: string }).v;

  const newReceiver = (name: string) => new Receiver(path.join(tmp.dir, name), config);

  it('stores an e-mail with five files as one message with five attachments, under the sender’s client', async () => {
    const files = ['a.pdf', 'b.png', 'Счёт №7.docx', 'd.jpg', 'e.rtf'].map((filename) => ({ filename, content: randomBytes(2000 + filename.length) }));
    await deliver('Five files', files);
    receiver = await newReceiver('five').start();
    await receiver.idle();

    const [conversation] = receiver.conversations.list('active');
    expect(conversation).toMatchObject({ clientName: 'Иван Петров', channelName: 'Support', lastSubject: 'Five files', unread: true });
    const [message] = receiver.messages.list(conversation!.id);
    expect(message).toMatchObject({ direction: 'in', status: 'received', subject: 'Five files', fromAddress: CLIENT.address, hasOriginal: true });
    expect(message!.attachments.map((a) => [a.fileName, a.size])).toEqual(files.map((f) => [f.filename, f.content.length]));
    const stored = receiver.db.prepare('SELECT blob_key AS key FROM attachments ORDER BY position').all() as Array<{ key: string }>;
    for (const [i, { key }] of stored.entries()) {
      expect((await buffer(receiver.blobs.open(key))).equals(files[i]!.content)).toBe(true);
      // One copy on disk: each file is decoded from its range of the raw message when read.
      expect(existsSync(receiver.blobs.pathOf(key))).toBe(false);
    }
    expect(receiver.states.map((s) => s.kind)).toEqual(expect.arrayContaining(['connecting', 'syncing', 'idle']));
  });

  it('gets mail sent by a real mail program (swaks over SMTP) within a second through IDLE', async () => {
    receiver = await newReceiver('idle').start();
    await receiver.idle();
    const dir = path.join(tmp.dir, 'swaks');
    await run('mkdir', ['-p', dir]);
    const files = ['photo.png', 'Договор.pdf', 'notes.rtf'].map((name) => {
      const file = path.join(dir, name);
      writeFileSync(file, randomBytes(5000));
      return file;
    });
    const started = Date.now();
    await run('swaks', [
      '--server', `127.0.0.1:${smtp.port}`, '--from', CLIENT.address, '--to', OPERATOR.address,
      '--header', 'Subject: From swaks', '--body', 'three files', '--silent', '2',
      ...files.flatMap((f) => ['--attach', `@${f}`]),
    ]);
    await smtp.waitForMessages(1);
    const accepted = Date.now();
    await receiver.waitFor(() => receiver!.received.length === 1, 5000);
    const latency = Date.now() - accepted;
    expect(latency, `stored ${latency} ms after the SMTP server accepted it (${accepted - started} ms to send)`).toBeLessThan(1000);

    const [message] = receiver.messages.list(receiver.conversations.list('active')[0]!.id);
    expect(message!.subject).toBe('From swaks');
    expect(message!.attachments.map((a) => a.fileName)).toEqual(['photo.png', 'Договор.pdf', 'notes.rtf']);
  });

  it('continues after a restart where it stopped, storing nothing twice', async () => {
    await deliver('first');
    await deliver('second');
    receiver = await newReceiver('restart').start();
    await receiver.idle();
    expect(receiver.messageCount()).toBe(2);
    await receiver.close();

    await deliver('third');
    receiver = await newReceiver('restart').start();
    await receiver.idle();
    expect(receiver.messageCount()).toBe(3);
    expect(receiver.received).toHaveLength(1);
  });

  it('reads the mailbox again after a UIDVALIDITY change without duplicating a message', async () => {
    await deliver('one');
    await deliver('two');
    receiver = await newReceiver('uidvalidity').start();
    await receiver.idle();
    expect(receiver.messageCount()).toBe(2);
    const before = syncedValidity(receiver);
    await receiver.close();

    await dovecot.doveadm('mailbox', 'update', '--uid-validity', String(Math.floor(Date.now() / 1000) + 12345), '-u', OPERATOR.address, 'INBOX');
    await deliver('three');
    receiver = await newReceiver('uidvalidity').start();
    await receiver.idle();
    expect(receiver.messageCount()).toBe(3);
    expect(receiver.received).toHaveLength(1);
    expect(syncedValidity(receiver)).not.toBe(before);
  });

  it('survives the connection being killed in the middle of a sync: every message stored once', async () => {
    for (let i = 0; i < 40; i++) await deliver(`batch ${i}`, [{ filename: `f${i}.pdf`, content: randomBytes(1_000_000) }]);
    receiver = await newReceiver('killed').start();
    await receiver.waitFor(() => receiver!.received.length >= 5);
    await dovecot.doveadm('kick', OPERATOR.address);
    await receiver.waitFor(() => receiver!.states.some((s) => s.kind === 'error'));
    await receiver.waitFor(() => receiver!.messageCount() === 40 && receiver!.states.at(-1)?.kind === 'idle', 30_000);
    const subjects = (receiver.db.prepare('SELECT subject FROM messages ORDER BY subject').all() as Array<{ subject: string }>).map((r) => r.subject);
    expect(new Set(subjects).size).toBe(40);
    expect(receiver.db.prepare('SELECT count(*) AS n FROM attachments').get()).toEqual({ n: 40 });
  });

  it('re-opens a completed conversation when the client writes again', async () => {
    await deliver('question');
    receiver = await newReceiver('reopen').start();
    await receiver.idle();
    const [conversation] = receiver.conversations.list('active');
    receiver.conversations.setStatus(conversation!.id, 'completed');
    expect(receiver.conversations.list('active')).toEqual([]);

    await deliver('one more thing', [], CLIENT.address.toUpperCase());
    await receiver.waitFor(() => receiver!.received.length === 2);
    expect(receiver.conversations.list('active')).toEqual([expect.objectContaining({ id: conversation!.id, lastSubject: 'one more thing' })]);
    expect(receiver.messages.list(conversation!.id)).toHaveLength(2);
  });
});
