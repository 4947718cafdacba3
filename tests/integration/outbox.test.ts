// The outbox against real servers: messages go operator → SMTP → Dovecot and are read back with
// two independent MIME parsers; the SMTP server is made to refuse, drop, stall and disappear,
// and every test checks that each message reached the server exactly once and is stored so.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/sample-files';
import type { EventPayload, MessageStatus } from '../../preload/contract';
import { configWith } from '../../main/config/load';
import type { ChannelConfig } from '../../main/config/schema';
import { AppError } from '../../main/errors';
import { EventBus } from '../../main/events';
import { BlobStore } from '../../main/files/blob-store';
import { Outbox, type EnqueueInput, type OutboxOptions } from '../../main/mail/outbox';
import { ChannelsRepo } from '../../main/store/channels-repo';
import { ClientsRepo } from '../../main/store/clients-repo';
import { ConversationsRepo } from '../../main/store/conversations-repo';
import { openDatabase, type Db } from '../../main/store/database';
import { MessagesRepo } from '../../main/store/messages-repo';
import { transactionOf } from '../../main/store/unit-of-work';
import { SentCopies } from '../../main/team/sent-copies';
import { teamHeaderLines } from '../../main/team/team-headers';
import { channelFor, CLIENT, OPERATOR } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { startSmtpServer, type SmtpServerHandle, type SmtpServerOptions } from '../support/smtp';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const SUPERVISOR = { address: 'supervisor@example.test', password: 'supervisor-secret' };
const FAST_RETRY = { firstDelayMs: 50, maxDelayMs: 200, maxAttempts: 30 };
const MB = 1024 * 1024;

const tmp = tempDir('postdesk-outbox-');
let dovecot: Dovecot;

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [OPERATOR, CLIENT, SUPERVISOR].map((u) => ({ user: u.address, password: u.password })),
  });
});

afterAll(async () => {
  await dovecot?.stop();
  tmp.cleanup();
});

// Everything a test starts is stopped after it, even when an assertion failed halfway.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const server = await startSmtpServer(opts);
  cleanups.push(() => server.stop());
  return server;
}

/** A port that refuses connections now, and where a server can be started later. */
async function downServer(): Promise<{ port: number; bringUp(): Promise<SmtpServerHandle> }> {
  const probe = await startSmtpServer();
  await probe.stop();
  return { port: probe.port, bringUp: () => smtpServer({ port: probe.port }) };
}

/** Who sends from these desks. */
const SENDER = { operator: 'Alice', deskId: '00000000-0000-4000-8000-000000000001' };

function channelConfig(smtpPort: number, extra: { sentMailbox?: string } = {}): ChannelConfig {
  const config = configWith({
    attachments: { allowedFormats: ['pdf', 'png'], maxFileSize: '30mb', maxTotalSize: '30mb' },
    channels: [{ ...channelFor({ dovecot, smtp: { host: '127.0.0.1', port: smtpPort } }), ...extra }],
  });
  return config.channels[0]!;
}

interface Desk {
  db: Db;
  dbFile: string;
  blobs: BlobStore;
  messages: MessagesRepo;
  conversationId: number;
  statuses: Array<EventPayload<'outbox.status'>>;
  progress: Array<EventPayload<'outbox.progress'>>;
  outbox(overrides?: Partial<OutboxOptions>): Outbox;
  reopen(): void;
}

let deskCount = 0;

/** A fresh data directory with one channel, one client (with an e-mail unless told) and their conversation. */
async function desk(channel: ChannelConfig, client: { email: string | null } = { email: CLIENT.address }): Promise<Desk> {
  const dir = path.join(tmp.dir, `desk-${++deskCount}`);
  const dbFile = path.join(dir, 'postdesk.sqlite');
  const blobs = new BlobStore(path.join(dir, 'blobs'));
  await blobs.init();
  const events = new EventBus();
  const statuses: Desk['statuses'] = [];
  const progress: Desk['progress'] = [];
  events.subscribe((name, payload) => {
    if (name === 'outbox.status') statuses.push(payload as EventPayload<'outbox.status'>);
    if (name === 'outbox.progress') progress.push(payload as EventPayload<'outbox.progress'>);
  });

  const d: Desk = {
    db: openDatabase(dbFile),
    dbFile,
    blobs,
    messages: undefined as unknown as MessagesRepo,
    conversationId: 0,
    statuses,
    progress,
    outbox(overrides = {}) {
      const outbox = new Outbox({
        messages: d.messages,
        transaction: transactionOf(d.db),
        conversations: new ConversationsRepo(d.db),
        blobs,
        events,
        channels: [channel],
        retry: FAST_RETRY,
        log: () => undefined,
        sender: { ...SENDER, showNameToClients: false },
        ...overrides,
      });
      cleanups.push(() => outbox.stop(0));
      return outbox;
    },
    /** A restart of the app: the same file opened anew. */
    reopen() {
      d.db.close();
      d.db = openDatabase(dbFile);
      d.messages = new MessagesRepo(d.db);
    },
  };
  d.messages = new MessagesRepo(d.db);
  cleanups.push(() => {
    d.db.close();
  });
  new ChannelsRepo(d.db).syncFromConfig([channel]);
  const row = new ClientsRepo(d.db).create({ name: 'Иван Петров', email: client.email });
  d.conversationId = new ConversationsRepo(d.db).ensure(row.id, channel.id);
  return d;
}

function message(d: Desk, extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return { conversationId: d.conversationId, to: CLIENT.address, subject: 'Hello', text: 'Body', bcc: [], attachments: [], reply: false, ...extra };
}

async function attach(d: Desk, fileName: string, mediaType: string, bytes: Buffer): Promise<EnqueueInput['attachments'][number]> {
  const { key, size } = await d.blobs.putBuffer(bytes);
  return { blobKey: key, fileName, mediaType, size };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function statusIs(d: Desk, id: number, status: MessageStatus) {
  return () => {
    const view = d.messages.get(id);
    return view?.status === status ? view : undefined;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const headerBlock = (raw: Buffer): string => raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');

/** A connection of the test's own with `mailbox` open (created when missing). */
async function openFolder(user: { address: string; password: string }, mailbox: string): Promise<ImapFlow> {
  const imap = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: user.address, pass: user.password }, logger: false });
  imap.on('error', () => undefined);
  await imap.connect();
  await imap.mailboxCreate(mailbox);
  await imap.mailboxOpen(mailbox);
  return imap;
}

async function fetchByMessageId(user: { address: string; password: string }, mailbox: string, messageId: string) {
  const imap = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapPort,
    secure: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  imap.on('error', () => undefined);
  await imap.connect();
  try {
    const lock = await imap.getMailboxLock(mailbox);
    try {
      const uids = await imap.search({ header: { 'message-id': messageId } }, { uid: true });
      expect(uids).toHaveLength(1);
      const found = await imap.fetchOne(String((uids as number[])[0]), { source: true, flags: true }, { uid: true });
      if (!found || !found.source) throw new Error(`no source for ${messageId} in ${mailbox}`);
      return { source: found.source, flags: found.flags ?? new Set<string>() };
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout();
  }
}

const PYTHON_ATTACHMENTS = `
import email, email.policy, hashlib, json, sys
with open(sys.argv[1], 'rb') as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)
print(json.dumps([[p.get_filename(), hashlib.sha256(p.get_payload(decode=True)).hexdigest()] for p in msg.iter_attachments()]))
`;

describe('the outbox', () => {
  it('delivers three attachments (Cyrillic name, 25 MB, png) byte for byte, Bcc in the envelope only', async () => {
    const smtp = await smtpServer({ deliverTo: dovecot, users: { [OPERATOR.address]: OPERATOR.password } });
    const d = await desk(channelConfig(smtp.port, { sentMailbox: 'Sent' }));

    const contract = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(40_000)]);
    const pngBytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2_000)]);
    // 25 MB streamed into the store, hashed on the way, never held whole in the test.
    const bigHash = createHash('sha256');
    const big = await d.blobs.put(
      Readable.from(
        (function* () {
          for (let i = 0; i < 25; i++) {
            const chunk = randomBytes(MB);
            bigHash.update(chunk);
            yield chunk;
          }
        })(),
      ),
    );
    const expected: Array<[string, string]> = [
      ['Договор №5.pdf', sha256(contract)],
      ['scan-2024.pdf', bigHash.digest('hex')],
      ['Снимок экрана оператора — a long name that needs RFC 2231 continuations.png', sha256(pngBytes)],
    ];
    const attachments = [
      await attach(d, expected[0]![0], 'application/pdf', contract),
      { blobKey: big.key, fileName: expected[1]![0], mediaType: 'application/pdf', size: big.size },
      await attach(d, expected[2]![0], 'image/png', pngBytes),
    ];

    // The Sent folder gets its copy over the team's connection to it (main/team/sent-copies.ts); here, one of the test's own.
    const sentFolder = await openFolder(OPERATOR, 'Sent');
    const sentCopies = new SentCopies({ messages: d.messages, blobs: d.blobs, sentFolderOf: () => ({ client: sentFolder, mailbox: 'Sent' }), log: () => undefined });
    const outbox = d.outbox({ sentCopies });
    outbox.start();
    const id = outbox.enqueue(
      message(d, { subject: 'Договор и счёт', text: 'Добрый день! Документы во вложении.', bcc: [SUPERVISOR.address], attachments }),
    );
    const sent = await until('the message to be sent', statusIs(d, id, 'sent'), 60_000);

    expect(sent.sentAt).toEqual(expect.any(Number));
    expect(sent.error).toBeNull();
    expect(smtp.received).toHaveLength(1);
    const received = smtp.received[0]!;
    expect(received.from).toBe(OPERATOR.address);
    expect(received.to.sort()).toEqual([CLIENT.address, SUPERVISOR.address].sort());
    expect(headerBlock(received.raw)).not.toMatch(/supervisor|^bcc:/im);
    const storedMessageId = d.messages.outgoing(id)!.messageId;
    expect(headerBlock(received.raw)).toContain(`Message-ID: ${storedMessageId}`);
    // What nodemailer writes for a non-ASCII name: RFC 2231 in Content-Disposition, RFC 2047 in Content-Type.
    expect(received.raw.toString('latin1')).toContain(
      `filename*0*=utf-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80;\r\n filename*1*=%20%E2%84%965.pdf`,
    );
    expect(received.raw.toString('latin1')).toContain('name="=?UTF-8?B?0JTQvtCz0L7QstC+0YAg4oSWNS5wZGY=?="');

    const delivered = await fetchByMessageId(CLIENT, 'INBOX', storedMessageId);
    const parsed = await simpleParser(delivered.source);
    expect(parsed.messageId).toBe(storedMessageId);
    expect(parsed.subject).toBe('Договор и счёт');
    expect(parsed.from?.value).toEqual([{ name: 'Support', address: OPERATOR.address }]);
    expect(parsed.text?.trim()).toBe('Добрый день! Документы во вложении.');
    expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual(expected);

    const rawFile = path.join(tmp.dir, `delivered-${id}.eml`);
    await writeFile(rawFile, delivered.source);
    const { stdout } = await run('python3', ['-c', PYTHON_ATTACHMENTS, rawFile], { maxBuffer: 10 * MB });
    expect(JSON.parse(stdout)).toEqual(expected);

    // The Bcc recipient got it too, and nobody else can tell.
    const copy = await fetchByMessageId(SUPERVISOR, 'INBOX', storedMessageId);
    expect(headerBlock(copy.source)).not.toMatch(/supervisor/i);

    // The Sent folder holds the very bytes the server got, marked read, with the team's header
    // fields in front: who sent it, which the client never sees.
    await outbox.stop(30_000);
    await sentCopies.settled();
    await sentFolder.logout();
    const sentCopy = await fetchByMessageId(OPERATOR, 'Sent', storedMessageId);
    expect(sentCopy.flags.has('\\Seen')).toBe(true);
    expect(sha256(sentCopy.source)).toBe(sha256(Buffer.concat([teamHeaderLines(SENDER), received.raw])));
    expect(headerBlock(received.raw)).not.toMatch(/X-Postdesk|Alice/i);

    const mine = d.progress.filter((p) => p.messageId === id);
    expect(mine.length).toBeGreaterThan(10);
    const last = mine.at(-1)!;
    expect(last.sent).toBe(last.total);
    expect(last.total).toBeGreaterThan(25 * MB * (4 / 3));
    expect(mine.every((p, i) => i === 0 || p.sent >= mine[i - 1]!.sent)).toBe(true);
    expect(d.statuses.filter((s) => s.messageId === id).map((s) => s.status)).toEqual(['queued', 'sending', 'sent']);
  });

  it('threads a reply to the client’s latest message and sends it to the address it was given, never to a Reply-To of its own choosing', async () => {
    const smtp = await smtpServer();
    const d = await desk(channelConfig(smtp.port));
    d.messages.insertIncoming({
      conversationId: d.conversationId,
      fromAddress: CLIENT.address,
      fromName: 'Иван Петров',
      toAddress: OPERATOR.address,
      replyTo: 'Ivan at work <ivan.work@example.test>',
      subject: 'Re: Question',
      text: 'Any news?',
      html: null,
      messageId: '<client-1@example.test>',
      inReplyTo: '<op-0@example.test>',
      references: ['<client-0@example.test>', '<op-0@example.test>'],
      attachments: [],
      contentHash: 'c'.repeat(64),
      rawBlobKey: 'd'.repeat(64),
      problems: [],
      imapUid: 1,
      createdAt: Date.now() - 1000,
    });
    const outbox = d.outbox();
    outbox.start();

    // The draft decides where a reply goes (and shows it); the outbox sends exactly there.
    const first = outbox.enqueue(message(d, { subject: '', reply: true }));
    const second = outbox.enqueue(message(d, { to: 'ivan.work@example.test', subject: 'RE: Re[2]: Question', html: '<p>Body</p>', reply: true }));
    await until('both replies to be sent', () => statusIs(d, second, 'sent')() && statusIs(d, first, 'sent')());

    expect(smtp.received).toHaveLength(2);
    expect(smtp.received.map((m) => m.to)).toEqual([[CLIENT.address], ['ivan.work@example.test']]);
    expect([first, second].map((id) => d.messages.get(id)?.toAddress)).toEqual([CLIENT.address, 'ivan.work@example.test']);
    for (const received of smtp.received) {
      const parsed = await simpleParser(received.raw);
      expect(parsed.subject).toBe('Re: Question');
      expect(parsed.inReplyTo).toBe('<client-1@example.test>');
      expect(parsed.references).toEqual(['<client-0@example.test>', '<op-0@example.test>', '<client-1@example.test>']);
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual(received.to);
    }
    expect(d.messages.get(first)?.subject).toBe('Re: Question');
    // A reply quotes the client's message it answers; one given its own HTML goes as given.
    const [quoting, withHtml] = await Promise.all(smtp.received.map((m) => simpleParser(m.raw)));
    expect(quoting!.text).toMatch(/wrote:\n> Any news\?\n?$/);
    expect(quoting!.html).toContain('<blockquote type="cite"');
    expect(withHtml!.html).toBe('<p>Body</p>');
    expect(withHtml!.text?.trim()).toBe('Body');
  });

  it('starts a new message to the client without threading headers, and refuses a client without an address', async () => {
    const smtp = await smtpServer();
    const d = await desk(channelConfig(smtp.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d, { subject: 'Re: Re: Your order' }));
    await until('the message to be sent', statusIs(d, id, 'sent'));
    const parsed = await simpleParser(smtp.received[0]!.raw);
    expect(parsed.subject).toBe('Re: Your order');
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.references).toBeUndefined();
    expect(smtp.received[0]!.to).toEqual([CLIENT.address]);

    const nobody = await desk(channelConfig(smtp.port), { email: null });
    const refused = (() => {
      try {
        nobody.outbox().enqueue(message(nobody, { to: '' }));
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('invalid_input');
    // One address, never a list slipped in as the recipient.
    expect(() => nobody.outbox().enqueue(message(nobody, { to: `${CLIENT.address}, other@example.test` }))).toThrow(/goes to one address/);
    expect(nobody.messages.list(nobody.conversationId)).toEqual([]);
  });

  it('keeps a message queued while the server is down and sends it once when it comes back', async () => {
    const server = await downServer();
    const d = await desk(channelConfig(server.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d));

    const waiting = await until('a failed attempt', () => {
      const view = d.messages.get(id);
      return view?.status === 'queued' && view.error ? view : undefined;
    });
    expect(waiting.error).toMatchObject({ code: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
    const smtp = await server.bringUp();
    await until('the message to be sent', statusIs(d, id, 'sent'));
    await sleep(300);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.dataAttempts).toBe(1);
  });

  it('retries 421 and 451 replies and sends exactly once', async () => {
    const smtp = await smtpServer();
    smtp.failNext([
      { code: 421, message: 'Service shutting down' },
      { code: 451, message: 'try later' },
    ]);
    const d = await desk(channelConfig(smtp.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d));

    await until('the message to be sent', statusIs(d, id, 'sent'));
    await sleep(300);
    expect(smtp.dataAttempts).toBe(3);
    expect(smtp.received).toHaveLength(1);
    const reasons = d.statuses.filter((s) => s.messageId === id && s.status === 'queued' && s.error).map((s) => s.error);
    expect(reasons).toEqual([
      { code: 'server_deferred', detail: '421 Service shutting down' },
      { code: 'server_deferred', detail: '451 try later' },
    ]);
  });

  it('gives up after maxAttempts, saying why', async () => {
    const server = await downServer();
    const d = await desk(channelConfig(server.port));
    const outbox = d.outbox({ retry: { firstDelayMs: 20, maxDelayMs: 40, maxAttempts: 3 } });
    outbox.start();
    const id = outbox.enqueue(message(d));

    const failed = await until('the message to fail', statusIs(d, id, 'failed'));
    expect(failed.error).toMatchObject({ code: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
    await sleep(200);
    const trail = d.statuses.filter((s) => s.messageId === id).map((s) => s.status);
    expect(trail).toEqual(['queued', 'sending', 'queued', 'sending', 'queued', 'sending', 'failed']);
  });

  it('fails at once on a 550 with the server’s words, and sends once when retried by hand', async () => {
    const smtp = await smtpServer();
    smtp.failNext([{ code: 550, message: '5.1.1 mailbox unavailable' }]);
    const d = await desk(channelConfig(smtp.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d));

    const failed = await until('the message to fail', statusIs(d, id, 'failed'));
    expect(failed.error).toEqual({ code: 'server_refused', detail: '550 5.1.1 mailbox unavailable' });
    expect(failed.sentAt).toBeNull();
    await sleep(500); // many retry delays: there must be no second attempt
    expect(smtp.dataAttempts).toBe(1);
    expect(smtp.received).toHaveLength(0);
    expect(d.messages.get(id)?.status).toBe('failed');

    outbox.retry(id);
    await until('the retried message to be sent', statusIs(d, id, 'sent'));
    expect(smtp.dataAttempts).toBe(2);
    expect(smtp.received).toHaveLength(1);
    expect(() => outbox.retry(id)).toThrow(/already been sent/);
  });

  it('fails at once when the server has no such user: its 550 at RCPT, not a retry', async () => {
    const smtp = await smtpServer({ deliverTo: dovecot });
    const d = await desk(channelConfig(smtp.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d, { to: 'nobody@example.test' }));

    const failed = await until('the message to fail', statusIs(d, id, 'failed'));
    expect(failed.error).toEqual({ code: 'server_refused', detail: expect.stringMatching(/^550 .*nobody@example\.test/) });
    await sleep(500); // many retry delays: there must be no second attempt
    expect(smtp.dataAttempts).toBe(0);
    expect(d.messages.get(id)?.status).toBe('failed');
  });

  it('retries a message whose connection was cut in the middle of DATA, and sends it once', async () => {
    const smtp = await smtpServer();
    smtp.dropNext();
    const d = await desk(channelConfig(smtp.port));
    const bytes = randomBytes(4 * MB);
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d, { attachments: [await attach(d, 'big.pdf', 'application/pdf', bytes)] }));

    await until('the message to be sent', statusIs(d, id, 'sent'));
    await sleep(300);
    expect(smtp.dataAttempts).toBe(2);
    expect(smtp.received).toHaveLength(1);
    const reasons = d.statuses.filter((s) => s.messageId === id && s.status === 'queued' && s.error).map((s) => s.error);
    // Whichever way the cut shows (reset, EPIPE, "ended by the other party"), the operator reads the same.
    expect(reasons).toEqual([{ code: expect.stringMatching(/^connection_(lost|failed)$/), detail: expect.any(String) }]);
    const parsed = await simpleParser(smtp.received[0]!.raw);
    expect(parsed.attachments[0]!.content.equals(bytes)).toBe(true);
  });

  it('sends after a restart what an earlier run left queued or sending', async () => {
    const server = await downServer();
    const d = await desk(channelConfig(server.port));
    const before = d.outbox();
    before.start();
    const queued = before.enqueue(message(d, { subject: 'left queued' }));
    await until('a failed attempt', () => d.messages.get(queued)?.error);
    await before.stop();
    // A crash in the middle of a send leaves "sending" behind.
    const crashed = before.enqueue(message(d, { subject: 'left sending' }));
    d.messages.setStatus(crashed, 'sending');

    d.reopen();
    const smtp = await server.bringUp();
    const after = d.outbox();
    after.start();
    await until('both to be sent', () => statusIs(d, queued, 'sent')() && statusIs(d, crashed, 'sent')());
    await sleep(300);
    expect(smtp.received.map((m) => m.raw.toString('latin1').match(/^Subject: (.*)$/m)?.[1]).sort()).toEqual([
      'left queued',
      'left sending',
    ]);
    // The interrupted one is shown as waiting again before it goes out.
    expect(d.statuses.filter((s) => s.messageId === crashed).map((s) => s.status)).toEqual(['queued', 'queued', 'sending', 'sent']);
  });

  it('waits for the server’s answer when stopped after the whole message was handed over', async () => {
    const smtp = await smtpServer();
    smtp.delayNextData(1500, 'before-replying');
    const d = await desk(channelConfig(smtp.port));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d));
    await until('the upload to finish', () => d.progress.some((p) => p.messageId === id && p.sent === p.total));

    // Cutting in now could lose the server's 250 and make the next start send it again.
    await outbox.stop(100);
    expect(d.messages.get(id)?.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('leaves a message queued when stopped in the middle of an upload, and sends it once on the next start', async () => {
    const smtp = await smtpServer();
    smtp.delayNextData(3000);
    const d = await desk(channelConfig(smtp.port));
    const attachment = await attach(d, 'big.pdf', 'application/pdf', randomBytes(20 * MB));
    const first = d.outbox();
    first.start();
    const id = first.enqueue(message(d, { attachments: [attachment] }));
    await until('the upload to start', () => d.progress.some((p) => p.messageId === id));

    await first.stop(100);
    expect(d.messages.get(id)?.status).toBe('queued');
    expect(d.progress.some((p) => p.sent === p.total)).toBe(false);

    const second = d.outbox();
    second.start();
    await until('the message to be sent', statusIs(d, id, 'sent'), 30_000);
    await sleep(3500); // past the stalled session's delay: it must not turn into a second message
    expect(smtp.received).toHaveLength(1);
    expect(smtp.dataAttempts).toBe(2);
  });

  it('fails at once, before any upload, when the server announces a smaller SIZE', async () => {
    const smtp = await smtpServer({ size: 100_000 });
    const d = await desk(channelConfig(smtp.port));
    const attachment = await attach(d, 'big.pdf', 'application/pdf', randomBytes(200_000));
    const outbox = d.outbox();
    outbox.start();
    const id = outbox.enqueue(message(d, { attachments: [attachment] }));

    const failed = await until('the message to fail', statusIs(d, id, 'failed'));
    expect(failed.error).toMatchObject({ code: 'too_large', params: { limit: 100_000 } });
    expect(failed.error!.params!.size).toBeGreaterThan(200_000);
    await sleep(300);
    expect(smtp.dataAttempts).toBe(0);
    expect(smtp.received).toHaveLength(0);
    expect(d.progress.filter((p) => p.messageId === id)).toEqual([]);
  });
});
