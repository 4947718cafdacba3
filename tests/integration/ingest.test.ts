// Ingest on a real SQLite file and a real blob store, fed hostile messages: none may throw out of
// the ingest (which would stop the mailbox) or vanish; each is stored, with a note when
// something about it was wrong. Only a failing disk or database is thrown, because then nothing
// could be kept. The sync against Dovecot is tested in imap-sync-hostile.test.ts.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { Ingest, readMessage, type MessageReader } from '../../main/mail/ingest';
import { openServices, type Services } from '../../main/services';
import { channelFor, CLIENT, OPERATOR, writeConfig } from '../support/config-file';
import { corpusFile } from '../support/corpus';
import { buildMessage } from '../support/mail-builder';
import { tempDir } from '../support/temp-dir';
import { transactionOf } from '../../main/store/unit-of-work';

const STRANGER = 'stranger@elsewhere.test';
const CHANNEL = 'support';

/** `Content-Type: ; name="facejj.jpg"`, as in the spam that stopped a channel for good. */
const FACEJJ = corpusFile('ingest-facejj-content-type.eml');

describe('Ingest of hostile messages', () => {
  let tmp: ReturnType<typeof tempDir>;
  let services: Services;

  beforeEach(async () => {
    tmp = tempDir('postdesk-ingest-');
    const servers = { dovecot: { host: '127.0.0.1', lmtpPort: 1, imapPort: 1 }, smtp: { host: '127.0.0.1', port: 1 } };
    const config = loadConfig(writeConfig(tmp.dir, { channels: [channelFor(servers)] })).config;
    services = await openServices({ config, dataDir: path.join(tmp.dir, 'data'), lang: 'en', version: 'test', startMail: false });
  });

  afterEach(async () => {
    await services.close();
    tmp.cleanup();
  });

  /** An Ingest on the same store with another reader (or budget): a parser that fails on purpose. */
  const ingestWith = (options: { read?: MessageReader; readBudgetMs?: number }) =>
    new Ingest({ ...services, transaction: transactionOf(services.db), channels: services.config.channels, ...options });

  const message = (from: string, subject: string, extra: { messageId?: string; inReplyTo?: string; references?: string[]; text?: string } = {}) =>
    buildMessage({ from, to: OPERATOR.address, subject, ...extra });

  const view = (id: number | null) => {
    expect(id).not.toBeNull();
    return services.messages.get(id!)!;
  };
  /** An operator's message as the outbox stores it, from the channel's address. */
  const sent = (conversationId: number, messageId: string, subject: string) =>
    services.messages.insertOutgoing({
      conversationId,
      kind: 'reply',
      fromAddress: OPERATOR.address,
      fromName: null,
      operatorName: 'Alice',
      operatorDesk: null,
      toAddress: CLIENT.address,
      bcc: [],
      subject,
      text: 'Answer',
      html: null,
      messageId,
      inReplyTo: null,
      references: [],
      attachments: [],
      createdAt: Date.now(),
    });
  const rawOf = (id: number) => readFileSync(services.blobs.pathOf(services.messages.rawBlobKey(id)!));
  const count = () => (services.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;

  describe('values the parser gets wrong', () => {
    it('stores the facejj.jpg spam with a media type from the file name and a note, and the next message after it', async () => {
      const stored = view(await services.ingest.ingest(CHANNEL, FACEJJ));
      expect(stored.attachments).toEqual([expect.objectContaining({ fileName: 'facejj.jpg', mediaType: 'image/jpeg' })]);
      expect(stored.problems).toContain('the media type of attachment 1 could not be used (false), so it was stored as "image/jpeg"');
      const next = view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'after the spam')));
      expect(next).toMatchObject({ subject: 'after the spam', problems: [] });
    });

    it('stores a message with NUL bytes in its header and body (Dovecot strips them; other servers need not)', async () => {
      const stored = view(await services.ingest.ingest(CHANNEL, corpusFile('ingest-nul-in-headers.eml')));
      expect(stored).toMatchObject({ fromAddress: 'nul@sender.test', subject: 'nul\u0000 in the subject', hasOriginal: true });
      expect(view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'after the NULs'))).problems).toEqual([]);
    });

    it('stores an empty message, saying it is empty, under Unknown sender', async () => {
      const stored = view(await services.ingest.ingest(CHANNEL, Buffer.alloc(0)));
      expect(stored).toMatchObject({ fromAddress: null, subject: '', problems: ['the message is empty'], hasOriginal: true });
      expect(services.conversations.list('active')[0]).toMatchObject({ clientName: 'Unknown sender' });
    });

    it('checks what any reader hands over: a result full of wrong types is stored with notes', async () => {
      const hostile: MessageReader = async (raw, writer, signal) => {
        const parsed = await readMessage(raw, writer, signal);
        return { ...parsed, subject: { value: 'x' }, from: { address: 42, name: null }, attachments: [{ blobKey: 'nope' }] } as never;
      };
      const stored = view(await ingestWith({ read: hostile }).ingest(CHANNEL, await message(CLIENT.address, 'typed wrong')));
      expect(stored).toMatchObject({ subject: '', fromAddress: null, attachments: [] });
      expect(stored.problems).toHaveLength(3);
      expect(services.conversations.list('active')[0]).toMatchObject({ clientName: 'Unknown sender' });
    });
  });

  describe('a message that cannot be read or stored is kept as it arrived', () => {
    it('when the parser throws: the raw message with From and Subject from its header and a note', async () => {
      const raw = await message(`Иван Петров <${CLIENT.address}>`, 'Счёт за май');
      const failing: MessageReader = async () => {
        throw new RangeError('Maximum call stack size exceeded');
      };
      const stored = view(await ingestWith({ read: failing }).ingest(CHANNEL, raw));
      expect(stored).toMatchObject({ fromAddress: CLIENT.address, fromName: 'Иван Петров', subject: 'Счёт за май', text: null, hasOriginal: true, attachments: [] });
      expect(stored.problems).toEqual([
        'Postdesk could not read this message (Maximum call stack size exceeded). It is kept as it arrived: save the original to open it in another mail program.',
      ]);
      expect(rawOf(stored.id).equals(raw)).toBe(true);
      expect(services.conversations.list('active')[0]).toMatchObject({ clientName: 'Иван Петров', lastSubject: 'Счёт за май', unread: true });
    });

    it('when reading takes longer than the budget: stored raw, and the reader is told to stop', async () => {
      let stopped = false;
      const hanging: MessageReader = (_raw, _writer, signal) =>
        new Promise(() => signal.addEventListener('abort', () => (stopped = true)));
      const raw = await message(CLIENT.address, 'never ends');
      const stored = view(await ingestWith({ read: hanging, readBudgetMs: 50 }).ingest(CHANNEL, raw));
      expect(stopped).toBe(true);
      expect(stored).toMatchObject({ subject: 'never ends', hasOriginal: true });
      expect(stored.problems).toEqual([expect.stringMatching(/^Postdesk could not read this message \(reading it took longer than 50 ms\)/)]);
    });

    it('closes the stream the real parser reads when it is told to stop', async () => {
      const raw = await message(CLIENT.address, 'streamed', { text: 'x'.repeat(200_000) });
      const source = Readable.from([raw]);
      const stop = new AbortController();
      const reading = readMessage({ bytes: null, file: null, open: () => source }, services.blobs, stop.signal);
      stop.abort();
      await expect(reading).rejects.toThrow('reading was stopped');
      expect(source.destroyed).toBe(true);
    });

    it('when the message has no header at all: an empty row with the note', async () => {
      const failing: MessageReader = async () => {
        throw new Error('garbage');
      };
      const stored = view(await ingestWith({ read: failing }).ingest(CHANNEL, Buffer.from('\u0000\u0001 not mail at all')));
      expect(stored).toMatchObject({ fromAddress: null, subject: '', hasOriginal: true });
      expect(services.conversations.list('active')[0]).toMatchObject({ clientName: 'Unknown sender' });
    });

    it('when the transaction throws: the raw message with a note, in place of the row that failed', async () => {
      // A real SQLite failure for one attachment name, raised inside the transaction.
      services.db.exec(`CREATE TRIGGER poison BEFORE INSERT ON attachments WHEN NEW.file_name = 'poison.pdf'
        BEGIN SELECT RAISE(ABORT, 'the disk image is malformed'); END`);
      const raw = await buildMessage({
        from: CLIENT.address,
        to: OPERATOR.address,
        subject: 'two files',
        attachments: [
          { filename: 'fine.pdf', content: Buffer.from('%PDF-1.4 fine') },
          { filename: 'poison.pdf', content: Buffer.from('%PDF-1.4 poison') },
        ],
      });
      const stored = view(await services.ingest.ingest(CHANNEL, raw));
      expect(stored).toMatchObject({ subject: 'two files', attachments: [], hasOriginal: true });
      expect(stored.problems).toEqual([expect.stringContaining('its details could not be stored: the disk image is malformed')]);
      // Nothing of the failed attempt is left behind.
      expect(services.db.prepare('SELECT count(*) AS n FROM attachments').get()).toEqual({ n: 0 });
      expect(count()).toBe(1);
    });

    it('throws when even the raw row cannot be stored, so that the sync retries instead of moving on', async () => {
      services.db.exec(`CREATE TRIGGER full BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      await expect(services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'no room'))).rejects.toThrow('database or disk is full');
      services.db.exec('DROP TRIGGER full');
      // The same message, tried again once the database works, is stored.
      view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'no room')));
    });

    it('throws when the blob store fails while the full parser writes attachments, instead of storing a good message as unreadable', async () => {
      const tmpDir = path.join(services.blobs.root, 'tmp');
      const breakDisk: MessageReader = (raw, writer, signal) => {
        // The raw message is written; from here on every write fails as on a broken disk.
        rmSync(tmpDir, { recursive: true });
        writeFileSync(tmpDir, '');
        return readMessage(raw, writer, signal);
      };
      const raw = await buildMessage({
        from: CLIENT.address,
        to: OPERATOR.address,
        subject: 'scan',
        // A forwarded message is no plain part (mime-structure.ts): the full parser reads it and stores each file it decodes.
        attachments: [
          { filename: 'scan.pdf', content: Buffer.from('%PDF-1.4 scan') },
          { filename: 'forwarded.eml', content: Buffer.from('Subject: fwd\r\n\r\nforwarded text\r\n'), contentType: 'message/rfc822' },
        ],
      });
      await expect(ingestWith({ read: breakDisk }).ingest(CHANNEL, raw)).rejects.toThrow(/ENOTDIR/);
      expect(count()).toBe(0);
      rmSync(tmpDir);
      await services.blobs.init();
      expect(view(await services.ingest.ingest(CHANNEL, raw)).attachments).toHaveLength(2);
    });
  });

  describe('threading', () => {
    it('files a reply into the conversation it names when that conversation’s client has the sender’s address, even a second client with the same address', async () => {
      const first = services.clients.create({ name: 'Client (first card)', email: CLIENT.address });
      const second = services.clients.create({ name: 'Client (second card)', email: CLIENT.address.toUpperCase() });
      services.conversations.ensure(first.id, CHANNEL);
      const secondConversation = services.conversations.ensure(second.id, CHANNEL);
      sent(secondConversation, '<documents-1@postdesk.test>', 'Your documents');
      const reply = view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'Re: Your documents', { inReplyTo: '<documents-1@postdesk.test>' })));
      expect(reply).toMatchObject({ conversationId: secondConversation, problems: [] });
      const stranger = view(await services.ingest.ingest(CHANNEL, await message(STRANGER, 'Re: Your documents', { inReplyTo: '<documents-1@postdesk.test>' })));
      expect(stranger.conversationId).not.toBe(secondConversation);
      expect(stranger.problems).toEqual([expect.stringContaining('another client’s conversation')]);
    });
  });

  describe('deduplication', () => {
    const delivered = (raw: Buffer, id: string) =>
      Buffer.concat([Buffer.from(`Return-Path: <${CLIENT.address}>\r\nDelivered-To: ${OPERATOR.address}\r\nReceived: from a by b with LMTP id ${id}\r\n`), raw]);

    it('stores the very same bytes once', async () => {
      const raw = await message(CLIENT.address, 'once', { messageId: '<once@client.test>' });
      view(await services.ingest.ingest(CHANNEL, raw));
      expect(await services.ingest.ingest(CHANNEL, raw)).toBeNull();
      expect(count()).toBe(1);
    });

    it('stores a message delivered twice (different trace fields on top) once', async () => {
      const raw = await message(CLIENT.address, 'twice', { messageId: '<twice@client.test>' });
      view(await services.ingest.ingest(CHANNEL, delivered(raw, 'first')));
      expect(await services.ingest.ingest(CHANNEL, delivered(raw, 'second'))).toBeNull();
      expect(count()).toBe(1);
    });

    it('keeps two different messages that share a Message-ID, the second with a note', async () => {
      const first = view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'Newsletter', { messageId: '<reused@client.test>', text: 'May' })));
      const second = view(await services.ingest.ingest(CHANNEL, await message(CLIENT.address, 'Newsletter', { messageId: '<reused@client.test>', text: 'June' })));
      expect(first.problems).toEqual([]);
      expect(second.problems).toEqual(['another message with the same Message-ID "<reused@client.test>" was stored before; both are kept']);
      expect(services.messages.list(first.conversationId).map((m) => m.text?.trim())).toEqual(['May', 'June']);
    });

    it('does not let a stranger’s mail with the client’s future Message-ID make the client’s real mail count as stored', async () => {
      const spoof = view(await services.ingest.ingest(CHANNEL, await message(STRANGER, 'Invoice', { messageId: '<invoice-7@client.test>' })));
      const real = view(await services.ingest.ingest(CHANNEL, await message(`Client <${CLIENT.address}>`, 'Invoice', { messageId: '<invoice-7@client.test>' })));
      expect(real.fromAddress).toBe(CLIENT.address);
      expect(real.conversationId).not.toBe(spoof.conversationId);
      expect(real.problems).toEqual(['another message with the same Message-ID "<invoice-7@client.test>" was stored before; both are kept']);
      expect(services.conversations.list('active').map((c) => c.clientName).sort()).toEqual(['Client', STRANGER]);
    });

    it('stores our own sent message coming back to the channel’s address once: as the outgoing message it is', async () => {
      const conversationId = services.conversations.ensure(services.clients.findOrCreateByEmail(CLIENT.address, 'Client').id, CHANNEL);
      sent(conversationId, '<answer-1@postdesk.test>', 'Re: question');
      const copy = await message(OPERATOR.address.toUpperCase(), 'Re: question', { messageId: '<answer-1@postdesk.test>', text: 'Answer' });
      expect(await services.ingest.ingest(CHANNEL, copy)).toBeNull();
      // Someone else using that Message-ID is a message of its own.
      view(await services.ingest.ingest(CHANNEL, await message(STRANGER, 'Re: question', { messageId: '<answer-1@postdesk.test>' })));
      expect(count()).toBe(2);
    });
  });
});
