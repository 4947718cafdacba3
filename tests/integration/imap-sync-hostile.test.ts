// The sync against a real Dovecot, fed what stopped channels in real life: a message SQLite
// refused, a message that fails every time, messages that share a Message-ID, and strangers
// naming a client's messages in References. No message may stop the mailbox or vanish, the
// reconnect delay must grow while nothing is stored, and a stranger must not steer threading.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { readMessage, type MessageReader } from '../../main/mail/ingest';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { corpusFile } from '../support/corpus';
import { buildMessage } from '../support/mail-builder';
import { Receiver, type ReceiverOptions } from '../support/receiver';
import { tempDir } from '../support/temp-dir';

const STRANGER = 'Stranger <stranger@elsewhere.test>';
const POISON = 'X-Test-Poison: yes';

describe('IMAP sync of hostile mail against a private Dovecot', () => {
  const tmp = tempDir('postdesk-sync-hostile-');
  let dovecot: Dovecot;
  let config: Config;
  let receiver: Receiver | undefined;
  let counter = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    // The outbox is not started here; the SMTP server is never contacted.
    config = loadConfig(writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 1 } })] })).config;
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await dovecot.doveadm('expunge', '-u', OPERATOR.address, 'mailbox', 'INBOX', 'all');
  });

  afterAll(async () => {
    await dovecot?.stop();
    tmp.cleanup();
  });

  const start = (name: string, options: ReceiverOptions = {}) => new Receiver(path.join(tmp.dir, name), config, options).start();

  const deliverRaw = (raw: Buffer | string) => deliverLmtp(dovecot, OPERATOR.address, raw);
  const deliver = async (
    subject: string,
    fields: { from?: string; messageId?: string; inReplyTo?: string; references?: string[]; text?: string; poison?: boolean } = {},
  ) => {
    const raw = await buildMessage({
      from: fields.from ?? `Client <${CLIENT.address}>`,
      to: OPERATOR.address,
      subject,
      text: fields.text,
      messageId: fields.messageId ?? `<m${++counter}.${Date.now()}@client.test>`,
      inReplyTo: fields.inReplyTo,
      references: fields.references,
    });
    const bytes = fields.poison ? Buffer.concat([Buffer.from(`${POISON}\r\n`), raw]) : raw;
    await deliverRaw(bytes);
    return bytes;
  };

  const isPoisoned = (source: NodeJS.ReadableStream | Buffer) => Buffer.isBuffer(source) && source.includes(POISON);
  const bySubject = (r: Receiver, subject: string) => {
    const row = r.db.prepare('SELECT id FROM messages WHERE subject = ?').get(subject) as { id: number } | undefined;
    expect(row, `a stored message "${subject}"`).toBeDefined();
    return r.messages.get(row!.id)!;
  };
  const lastUid = (r: Receiver) => (r.db.prepare('SELECT last_uid AS uid FROM imap_sync_state').get() as { uid: number } | undefined)?.uid ?? 0;
  /** The newest UID in the INBOX (UIDs keep growing across the tests of this file). */
  const newestUid = async () =>
    Math.max(...(await dovecot.doveadm('search', '-u', OPERATOR.address, 'mailbox', 'INBOX', 'all')).trim().split('\n').map((line) => Number(line.split(' ')[1])));
  const logins = () => (readFileSync(path.join(dovecot.dir, 'dovecot.log'), 'utf8').match(/imap-login: Info: Login: user=<operator@example\.test>/g) ?? []).length;

  describe('a message cannot stop the mailbox', () => {
    it('stores the facejj.jpg spam (Content-Type: ; name="facejj.jpg") and every message after it; the channel never goes to error', async () => {
      await deliver('before');
      await deliverRaw(corpusFile('ingest-facejj-content-type.eml'));
      await deliver('after 1');
      await deliver('after 2');
      receiver = await start('facejj');
      await receiver.waitFor(() => receiver!.messageCount() === 4 && receiver!.states.at(-1)?.kind === 'idle');

      const spam = bySubject(receiver, 'pic for you');
      expect(spam.attachments).toEqual([expect.objectContaining({ fileName: 'facejj.jpg', mediaType: 'image/jpeg' })]);
      expect(spam.problems).toContain('the media type of attachment 1 could not be used (false), so it was stored as "image/jpeg"');
      expect(bySubject(receiver, 'after 2').problems).toEqual([]);
      expect(receiver.states.some((s) => s.kind === 'error')).toBe(false);
      expect(lastUid(receiver)).toBe(await newestUid());
    });

    it('keeps a message the parser fails on as it arrived, saves its UID and stores the next ones', async () => {
      const failing: MessageReader = async (raw, writer, signal) => {
        if (raw.bytes?.includes(POISON)) throw new Error('parser crashed (injected)');
        return readMessage(raw, writer, signal);
      };
      await deliver('first');
      const poisoned = await deliver('Счёт №7', { poison: true, from: `Иван <${CLIENT.address}>` });
      await deliver('third');
      await deliver('fourth');
      receiver = await start('parser-fails', { read: failing });
      await receiver.waitFor(() => receiver!.messageCount() === 4 && receiver!.states.at(-1)?.kind === 'idle');

      const kept = bySubject(receiver, 'Счёт №7');
      expect(kept).toMatchObject({ fromAddress: CLIENT.address, text: null, attachments: [], hasOriginal: true });
      expect(kept.problems).toEqual([
        'Postdesk could not read this message (parser crashed (injected)). It is kept as it arrived: save the original to open it in another mail program.',
      ]);
      // The original is what Dovecot served: the delivered bytes under the trace fields LMTP put on top.
      const original = readFileSync(receiver.blobs.pathOf(receiver.messages.rawBlobKey(kept.id)!));
      expect(original.subarray(original.length - poisoned.length).equals(poisoned)).toBe(true);
      expect(bySubject(receiver, 'fourth').problems).toEqual([]);
      expect(receiver.states.some((s) => s.kind === 'error')).toBe(false);
      expect(lastUid(receiver)).toBe(await newestUid());
    });

    it('gives up reading a message after the time budget, stores it as it arrived and moves on', async () => {
      const hanging: MessageReader = (raw, writer, signal) =>
        raw.bytes?.includes(POISON) ? new Promise(() => {}) : readMessage(raw, writer, signal);
      await deliver('slow', { poison: true });
      await deliver('quick');
      receiver = await start('budget', { read: hanging, readBudgetMs: 200 });
      await receiver.waitFor(() => receiver!.messageCount() === 2 && receiver!.states.at(-1)?.kind === 'idle');
      expect(bySubject(receiver, 'slow').problems).toEqual([expect.stringContaining('reading it took longer than 200 ms')]);
      expect(bySubject(receiver, 'quick').problems).toEqual([]);
    });
  });

  describe('reconnect backoff', () => {
    it('grows while a message fails before anything is stored, and starts afresh once a message is stored', async () => {
      const delays: number[] = [];
      let failuresLeft = 5;
      const receiverOptions: ReceiverOptions = {
        backoff: { firstMs: 50, maxMs: 800 },
        onRetry: (ms) => delays.push(ms),
        // A failure the ingest cannot turn into a stored message (the disk, the database): the
        // sync must retry it, but not by logging in and fetching the mailbox again every second.
        wrapIngest: (ingest) => ({
          prepare: (channelId, source, batch) => {
            if (isPoisoned(source) && failuresLeft > 0) {
              failuresLeft--;
              return Promise.reject(new Error('disk I/O error (injected)'));
            }
            return ingest.prepare(channelId, source, batch);
          },
          batchWriter: () => ingest.batchWriter(),
          commitAll: (channelId, items, within) => ingest.commitAll(channelId, items, within),
        }),
      };
      await deliver('stored before the failure');
      await deliver('fails five times', { poison: true });
      await deliver('after it');
      const loginsBefore = logins();
      receiver = await start('backoff', receiverOptions);
      await receiver.waitFor(() => receiver!.messageCount() === 3 && receiver!.states.at(-1)?.kind === 'idle', 30_000);

      // Doubling from the first delay: login after login the failing message stopped every
      // attempt before a UID was saved (the first message was, before the first failure).
      expect(delays).toEqual([50, 100, 200, 400, 800]);
      expect(receiver.states.filter((s) => s.kind === 'error')).toHaveLength(5);
      // Dovecot saw one login per attempt: the first and one after each delay, no more.
      await expect.poll(() => logins() - loginsBefore).toBe(6);

      failuresLeft = 2;
      await deliver('fails twice', { poison: true });
      await receiver.waitFor(() => receiver!.messageCount() === 4 && receiver!.states.at(-1)?.kind === 'idle', 30_000);
      expect(delays).toEqual([50, 100, 200, 400, 800, 50, 100]);
      expect(lastUid(receiver)).toBe(await newestUid());
    });
  });

  describe('deduplication', () => {
    it('keeps two different messages that share a Message-ID, the second with a note, and stores each once after a UIDVALIDITY change', async () => {
      await deliver('Newsletter', { messageId: '<reused@news.test>', text: 'May issue' });
      await deliver('Newsletter', { messageId: '<reused@news.test>', text: 'June issue' });
      const again = await buildMessage({ from: CLIENT.address, to: OPERATOR.address, subject: 'delivered twice', messageId: '<twice@client.test>' });
      await deliverRaw(again);
      await deliverRaw(again);
      const newest = await newestUid();
      receiver = await start('dedupe');
      await receiver.waitFor(() => lastUid(receiver!) === newest && receiver!.states.at(-1)?.kind === 'idle');

      const rows = () => receiver!.db.prepare('SELECT subject, text, problems FROM messages ORDER BY id').all() as Array<{ subject: string; text: string; problems: string }>;
      expect(rows().map((r) => [r.subject, r.text.trim(), JSON.parse(r.problems)])).toEqual([
        ['Newsletter', 'May issue', []],
        ['Newsletter', 'June issue', ['another message with the same Message-ID "<reused@news.test>" was stored before; both are kept']],
        ['delivered twice', 'Hello', []],
      ]);
      await receiver.close();

      await dovecot.doveadm('mailbox', 'update', '--uid-validity', String(Math.floor(Date.now() / 1000) + 777), '-u', OPERATOR.address, 'INBOX');
      receiver = await start('dedupe');
      await receiver.idle();
      expect(rows()).toHaveLength(3);
      expect(receiver.received).toEqual([]);
    });

    it('stores a large message (streamed, not fetched whole) delivered twice once', async () => {
      const big = await buildMessage({
        from: CLIENT.address,
        to: OPERATOR.address,
        subject: 'big scan',
        messageId: '<big-scan@client.test>',
        attachments: [{ filename: 'scan.pdf', content: randomBytes(5 * 1024 * 1024) }],
      });
      await deliverRaw(big);
      await deliverRaw(big);
      const newest = await newestUid();
      receiver = await start('big-twice');
      await receiver.waitFor(() => lastUid(receiver!) === newest && receiver!.states.at(-1)?.kind === 'idle');
      expect(receiver.messageCount()).toBe(1);
      expect(bySubject(receiver, 'big scan').attachments).toEqual([expect.objectContaining({ fileName: 'scan.pdf', size: 5 * 1024 * 1024 })]);
    });
  });

  describe('threading a stranger cannot steer', () => {
    it('files a stranger’s reply to the client’s message under the stranger, with a note; the client’s conversation stays as it was', async () => {
      await deliver('My contract', { messageId: '<contract@client.test>' });
      receiver = await start('stranger');
      await receiver.waitFor(() => receiver!.messageCount() === 1);
      const [client] = receiver.conversations.list('active');
      receiver.conversations.markRead(client!.id);
      receiver.conversations.setStatus(client!.id, 'completed');
      const before = receiver.conversations.summary(client!.id);

      await deliver('Re: My contract', { from: STRANGER, inReplyTo: '<contract@client.test>', references: ['<contract@client.test>'] });
      await receiver.waitFor(() => receiver!.messageCount() === 2);

      const stranger = bySubject(receiver, 'Re: My contract');
      expect(stranger.conversationId).not.toBe(client!.id);
      expect(stranger.problems).toEqual([
        'it answers a message in another client’s conversation (In-Reply-To/References) but is not from that client, so it was filed under its own sender',
      ]);
      expect(receiver.conversations.summary(client!.id)).toEqual(before);
      expect(receiver.messages.list(client!.id).map((m) => m.subject)).toEqual(['My contract']);
      expect(receiver.conversations.list('active')).toEqual([expect.objectContaining({ id: stranger.conversationId, clientName: 'Stranger', unread: true })]);
    });

    it('threads the client’s own reply (any case of the address) and a mail from the channel’s own address', async () => {
      await deliver('Question', { messageId: '<q@client.test>' });
      receiver = await start('own');
      await receiver.waitFor(() => receiver!.messageCount() === 1);
      const [client] = receiver.conversations.list('active');

      await deliver('Re: Question', { from: `Client <${CLIENT.address.toUpperCase()}>`, references: ['<q@client.test>'], inReplyTo: '<q@client.test>' });
      await deliver('Re: Question (from the desk)', { from: `Support <${OPERATOR.address}>`, references: ['<q@client.test>'] });
      await receiver.waitFor(() => receiver!.messageCount() === 3);

      const history = receiver.messages.list(client!.id);
      expect(history.map((m) => [m.subject, m.problems])).toEqual([
        ['Question', []],
        ['Re: Question', []],
        ['Re: Question (from the desk)', []],
      ]);
      expect(receiver.conversations.list('active').map((c) => c.id)).toEqual([client!.id]);
    });
  });
});
