import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { openServices, type Services } from '../../main/services';
import { tempDir } from '../support/temp-dir';
import { PDF, PNG, RTF } from '../support/sample-files';
import { buildMessage } from '../support/mail-builder';
import { queued } from '../support/queued';

const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90), Buffer.from([0, 1, 2, 3])]);

/** A big file as a stream, never whole in memory. */
function bigPdf(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === size) {
        left -= PDF.length;
        return void this.push(PDF);
      }
      const n = Math.min(left, 1024 * 1024);
      left -= n;
      this.push(n > 0 ? Buffer.alloc(n, 0x20) : null);
    },
  });
}

/** Services with one channel whose servers are never contacted (mail not started). */
function offlineServices(dataDir: string, channelId: string): Promise<Services> {
  const config = configWith({
    channels: [
      {
        id: channelId, name: channelId, address: 'operator@example.test',
        imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
      },
    ],
  });
  return openServices({ config, dataDir, lang: 'en', version: 'test', startMail: false });
}

describe('the reply draft: one policy for every file, checked again at send', () => {
  const tmp = tempDir('postdesk-drafts-');
  let services: Services;
  let conversationId: number;

  beforeAll(async () => {
    services = await offlineServices(tmp.dir, 'c');
    conversationId = services.conversations.ensure(services.clients.create({ name: 'Client', email: 'client@example.test' }).id, 'c');
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('lists invalid files first with their reasons, newest first, and blocks Send until they are removed', async () => {
    const { drafts } = services;
    const draft = drafts.open(conversationId);
    for (const [name, source] of [
      ['photo.png', Readable.from([PNG])],
      ['Договор №5.pdf', Readable.from([PDF])],
      ['notes.rtf', Readable.from([RTF])],
      ['setup.exe', Readable.from([EXE])],
      ['big.pdf', bigPdf(31 * 1024 * 1024)],
      ['fake.png', Readable.from([PDF])],
    ] as const) {
      await drafts.attachStream(draft.id, name, source);
    }
    let view = drafts.update(draft.id, { text: 'Here are the files.' });
    expect(view.files.map((f) => [f.fileName, f.problem?.code ?? null])).toEqual([
      ['fake.png', 'content_mismatch'],
      ['big.pdf', 'too_large'],
      ['setup.exe', 'format_not_allowed'],
      ['notes.rtf', null],
      ['Договор №5.pdf', null],
      ['photo.png', null],
    ]);
    expect(view.check).toMatchObject({ canSend: false, invalidCount: 3 });
    await expect(drafts.send(draft.id)).rejects.toThrow(/cannot be sent yet/);

    view = drafts.removeInvalid(draft.id);
    expect(view.check).toMatchObject({ canSend: true, invalidCount: 0, validTotal: PNG.length + PDF.length + RTF.length });

    const { messageId } = queued(await drafts.send(draft.id));
    const sent = services.messages.get(messageId)!;
    expect(sent).toMatchObject({ status: 'queued', direction: 'out', text: 'Here are the files.' });
    expect(sent.attachments.map((a) => a.fileName)).toEqual(['photo.png', 'Договор №5.pdf', 'notes.rtf']);
    const keys = services.attachments.listForMessage(messageId).map((a) => a.blobKey);
    expect(keys.map((k) => readFileSync(services.blobs.pathOf(k)))).toEqual([PNG, PDF, RTF]);
    // The draft starts over once the outbox holds the message.
    expect(drafts.open(conversationId)).toMatchObject({ text: '', files: [], check: { canSend: false, empty: true } });
  });

  it('keeps the draft (text and files) across a restart of the services', async () => {
    const draft = services.drafts.open(conversationId);
    await services.drafts.attachStream(draft.id, 'scan.pdf', Readable.from([PDF]));
    services.drafts.update(draft.id, { text: 'Draft survives' });
    await services.close();
    services = await openServices({ config: services.config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
    expect(services.drafts.open(conversationId)).toMatchObject({ text: 'Draft survives', files: [{ fileName: 'scan.pdf', problem: null }] });
  });
});

describe('the outgoing draft: a new message to a client through a chosen channel', () => {
  const tmp = tempDir('postdesk-outgoing-');
  let services: Services;

  beforeAll(async () => {
    services = await offlineServices(tmp.dir, 'support');
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('refuses a client without an e-mail address and sends once the address is added', async () => {
    const created = services.clientService.create({ name: 'Пётр Без Почты', phone: '+7 900 000-00-01' });
    if (created.status !== 'created') throw new Error('expected a new client');
    const client = created.client;
    const draft = services.drafts.openOutgoing(client.id, 'support');
    services.drafts.update(draft.id, { subject: 'Ваш заказ', text: 'Здравствуйте!' });
    await expect(services.drafts.send(draft.id)).rejects.toThrow(/has no e-mail address/);
    expect(() => services.clientService.setEmail(client.id, 'not an address')).toThrow(/not an e-mail address/);

    services.clientService.setEmail(client.id, 'petr@example.test');
    const { messageId, conversationId } = queued(await services.drafts.send(draft.id));
    expect(services.messages.get(messageId)).toMatchObject({ kind: 'new', toAddress: 'petr@example.test', subject: 'Ваш заказ', text: 'Здравствуйте!', bcc: [] });
    expect(services.conversations.summary(conversationId)).toMatchObject({ status: 'completed', clientName: 'Пётр Без Почты' });
  });

  it('validates every BCC address, keeps them out of nothing but the envelope, and ends the draft', async () => {
    const created = services.clientService.create({ name: 'Anna', email: 'anna@example.test' });
    if (created.status !== 'created') throw new Error('expected a new client');
    const draft = services.drafts.openOutgoing(created.client.id, 'support');
    await services.drafts.attachStream(draft.id, 'scan.pdf', Readable.from([PDF]));
    services.drafts.update(draft.id, { subject: 'Documents', text: 'Attached.', bcc: ['boss@example.test', 'oops'] });
    await expect(services.drafts.send(draft.id)).rejects.toThrow(/Not an e-mail address in BCC: oops/);

    const view = services.drafts.update(draft.id, { bcc: ['boss@example.test', 'audit@example.test'] });
    expect(view).toMatchObject({ kind: 'outgoing', conversationId: null, clientId: created.client.id, channelId: 'support', subject: 'Documents' });
    const { messageId, conversationId } = queued(await services.drafts.send(draft.id));
    const sent = services.messages.get(messageId)!;
    expect(sent).toMatchObject({ kind: 'new', status: 'queued', bcc: ['boss@example.test', 'audit@example.test'] });
    expect(sent.attachments.map((a) => a.fileName)).toEqual(['scan.pdf']);
    expect(services.conversations.list('completed').map((c) => c.id)).toContain(conversationId);
    expect(services.conversations.list('active').map((c) => c.id)).not.toContain(conversationId);
    // The window's draft is gone; writing again starts from nothing.
    expect(() => services.drafts.view(draft.id)).toThrow(/There is no draft/);
    expect(services.drafts.openOutgoing(created.client.id, 'support')).toMatchObject({ subject: '', text: '', bcc: [], files: [] });
  });

  it('loses nothing when the send fails: a channel gone from the config leaves the draft and no conversation', async () => {
    const created = services.clientService.create({ name: 'Vera', email: 'vera@example.test' });
    if (created.status !== 'created') throw new Error('expected a new client');
    const draft = services.drafts.openOutgoing(created.client.id, 'support');
    await services.drafts.attachStream(draft.id, 'scan.pdf', Readable.from([PDF]));
    services.drafts.update(draft.id, { subject: 'Still here', text: 'Unsent' });
    await services.close();
    services = await offlineServices(tmp.dir, 'other');
    await expect(services.drafts.send(draft.id)).rejects.toThrow(/"support" is not configured/);
    expect(services.drafts.view(draft.id)).toMatchObject({ subject: 'Still here', text: 'Unsent', files: [{ fileName: 'scan.pdf' }] });
    expect(services.conversations.list('completed').concat(services.conversations.list('active')).map((c) => c.clientName)).not.toContain('Vera');
    await services.close();
    services = await offlineServices(tmp.dir, 'support');
  });

  it('keeps subject, BCC and text across a restart, and gives replies no subject or BCC', async () => {
    const created = services.clientService.create({ name: 'Boris', email: 'boris@example.test' });
    if (created.status !== 'created') throw new Error('expected a new client');
    const draft = services.drafts.openOutgoing(created.client.id, 'support');
    services.drafts.update(draft.id, { subject: 'Hello', text: 'Unsent', bcc: ['copy@example.test'] });
    await services.close();
    services = await openServices({ config: services.config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
    expect(services.drafts.openOutgoing(created.client.id, 'support')).toMatchObject({ id: draft.id, subject: 'Hello', text: 'Unsent', bcc: ['copy@example.test'] });

    const reply = services.drafts.open(services.conversations.ensure(created.client.id, 'support'));
    expect(() => services.drafts.update(reply.id, { subject: 'Re: x' })).toThrow(/takes its subject/);
    expect(() => services.drafts.openOutgoing(created.client.id, 'nope')).toThrow(/not configured/);
  });

  // A new message to a client whose mail waits (issue 12): the conversation stays Active, and the window says so first.

  /** The client's mail, stored as the sync stores it: the conversation Active and unread. */
  const clientWrites = async (name: string, address: string) => {
    const raw = await buildMessage({ from: `${name} <${address}>`, to: 'operator@example.test', subject: 'Вопрос' });
    const conversationId = services.messages.get((await services.ingest.ingest('support', raw))!)!.conversationId;
    return { conversationId, clientId: services.conversations.get(conversationId)!.clientId };
  };
  /** The new-message window's draft as it shows before Send, then sent. */
  const writeOutgoing = async (clientId: number) => {
    const draft = services.drafts.openOutgoing(clientId, 'support');
    const shown = services.drafts.update(draft.id, { subject: 'Документы', text: 'Высылаю документы.' });
    return { shown, sent: queued(await services.drafts.send(draft.id)) };
  };
  const statusOf = (conversationId: number) => services.conversations.get(conversationId)!.status;

  it('unread mail: the window says so, and sending keeps the conversation Active, the message in it', async () => {
    const { conversationId, clientId } = await clientWrites('Анна', 'anna.waiting@example.test');
    const { shown, sent } = await writeOutgoing(clientId);
    expect(shown.waiting).toEqual({ unread: true, unanswered: true });
    expect(sent.conversationId).toBe(conversationId);
    expect(statusOf(conversationId)).toBe('active');
    expect(services.messages.get(sent.messageId)).toMatchObject({ kind: 'new', conversationId });
  });

  it('mail read but not answered: the same', async () => {
    const { conversationId, clientId } = await clientWrites('Борис', 'boris.waiting@example.test');
    services.conversationService.open(conversationId);
    const { shown } = await writeOutgoing(clientId);
    expect(shown.waiting).toEqual({ unread: false, unanswered: true });
    expect(statusOf(conversationId)).toBe('active');
  });

  it('mail read and answered: nothing waits, and the conversation goes to Completed as before; a failed answer answered nothing', async () => {
    const { conversationId, clientId } = await clientWrites('Вера', 'vera.waiting@example.test');
    services.conversationService.open(conversationId);
    const reply = services.drafts.open(conversationId);
    services.drafts.update(reply.id, { text: 'Ответ.' });
    const answer = queued(await services.drafts.send(reply.id));
    services.messages.setStatus(answer.messageId, 'failed', { code: 'server_refused', detail: '550 no such user' });
    expect(services.drafts.view(services.drafts.openOutgoing(clientId, 'support').id).waiting).toEqual({ unread: false, unanswered: true });

    services.messages.setStatus(answer.messageId, 'sent');
    const { shown } = await writeOutgoing(clientId);
    expect(shown.waiting).toBeNull();
    expect(statusOf(conversationId)).toBe('completed');
  });

  it('a conversation already Completed stays Completed, whatever this desk has not read (another desk completed it)', async () => {
    const { conversationId, clientId } = await clientWrites('Глеб', 'gleb.waiting@example.test');
    services.conversations.setStatus(conversationId, 'completed');
    const { shown } = await writeOutgoing(clientId);
    expect(shown.waiting).toBeNull();
    expect(statusOf(conversationId)).toBe('completed');
  });
});

describe('at most 100 files in one message, in the desktop app too', () => {
  const tmp = tempDir('postdesk-draft-limit-');
  let services: Services;
  let chosen: string[] = [];
  let scan: string;

  beforeAll(async () => {
    const config = configWith({
      channels: [
        {
          id: 'c', name: 'c', address: 'operator@example.test',
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        },
      ],
    });
    // The native dialog answers whatever the test chose, as an operator's multi-select would.
    services = await openServices({ config, dataDir: tmp.dir, lang: 'ru', version: 'test', startMail: false, fileDialogs: { openFiles: async () => chosen } });
    scan = path.join(tmp.dir, 'скан.pdf');
    writeFileSync(scan, PDF);
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  const replyDraft = () => {
    const client = services.clients.create({ name: `Клиент ${Math.random()}`, email: 'client@example.test' });
    return services.drafts.open(services.conversations.ensure(client.id, 'c')).id;
  };
  const call = (channel: 'drafts.pickFiles' | 'drafts.attachBytes', input: unknown) => dispatch(createHandlers(services), channel, input);

  it('refuses a pick that would pass 100 files as a whole, before reading any of it, and says how many still fit', async () => {
    const draftId = replyDraft();
    chosen = Array.from({ length: 98 }, () => scan);
    expect(await call('drafts.pickFiles', { draftId })).toMatchObject({ ok: true, value: { files: { length: 98 } } });
    // Paths that do not exist would each become an "unreadable" row if they were read at all.
    chosen = Array.from({ length: 5 }, (_, i) => path.join(tmp.dir, `missing-${i}.pdf`));
    expect(await call('drafts.pickFiles', { draftId })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'В сообщение можно вложить не больше 100 файлов: в нём уже 98, добавить можно ещё не больше 2.' },
    });
    expect(services.drafts.view(draftId).files).toHaveLength(98);
    chosen = [scan, scan];
    expect(await call('drafts.pickFiles', { draftId })).toMatchObject({ ok: true, value: { files: { length: 100 } } });
  });

  it('lists a picked file over the limit with its hint without reading a byte of it (a 2 GB file)', async () => {
    const draftId = replyDraft();
    const huge = path.join(tmp.dir, 'архив сканов.pdf');
    // Sparse: 2 GB to stat, nothing on disk; were it read, the blob store would fill up.
    writeFileSync(huge, '');
    truncateSync(huge, 2 * 1024 ** 3);
    const blobsBefore = readdirSync(path.join(tmp.dir, 'blobs'), { recursive: true }).length;
    chosen = [huge, scan];
    const picked = await call('drafts.pickFiles', { draftId });
    expect(picked).toMatchObject({ ok: true });
    const { files, check } = (picked as { ok: true; value: { files: Array<{ fileName: string; size: number; problem: unknown }>; check: { canSend: boolean } } }).value;
    expect(files.map(({ fileName, size, problem }) => ({ fileName, size, problem }))).toEqual([
      { fileName: 'архив сканов.pdf', size: 2 * 1024 ** 3, problem: { code: 'too_large', size: 2 * 1024 ** 3, limit: 30 * 1024 * 1024 } },
      { fileName: 'скан.pdf', size: PDF.length, problem: null },
    ]);
    expect(check.canSend).toBe(false);
    // Only the small file's bytes were stored (it is stored once, whatever the earlier tests did).
    expect(readdirSync(path.join(tmp.dir, 'blobs'), { recursive: true }).length - blobsBefore).toBeLessThanOrEqual(2);
  });

  it('refuses the 101st file whichever way it comes: the dialog, a drop (attachBytes) or a stream', async () => {
    const draftId = replyDraft();
    await services.drafts.attachPaths(draftId, Array.from({ length: 100 }, () => scan));
    const full = { ok: false, error: { code: 'invalid_input', message: 'В сообщение можно вложить не больше 100 файлов, а в нём уже 100.' } };
    chosen = [scan];
    expect(await call('drafts.pickFiles', { draftId })).toEqual(full);
    expect(await call('drafts.attachBytes', { draftId, fileName: 'вставка.pdf', bytes: new Uint8Array(PDF) })).toEqual(full);
    await expect(services.drafts.attachStream(draftId, 'ещё.pdf', Readable.from([PDF]))).rejects.toThrow(full.error.message);
    const view = services.drafts.view(draftId);
    expect(view.files).toHaveLength(100);
    expect(view.check.canSend).toBe(true);
    // Removing one makes room for one.
    services.drafts.remove(draftId, view.files[0]!.id);
    expect(await call('drafts.attachBytes', { draftId, fileName: 'вставка.pdf', bytes: new Uint8Array(PDF) })).toMatchObject({ ok: true, value: { files: { length: 100 } } });
  });
});
