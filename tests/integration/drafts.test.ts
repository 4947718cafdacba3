import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { openServices, type Services } from '../../main/services';
import { tempDir } from '../support/temp-dir';
import { PDF, PNG, RTF } from '../support/sample-files';

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

describe('the reply draft: one policy for every file, checked again at send', () => {
  const tmp = tempDir('postdesk-drafts-');
  let services: Services;
  let conversationId: number;

  beforeAll(async () => {
    const config = configWith({
      channels: [
        {
          id: 'c', name: 'C', address: 'operator@example.test',
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        },
      ],
    });
    services = await openServices({ config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
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
    let view = drafts.setText(draft.id, 'Here are the files.');
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

    const { messageId } = await drafts.send(draft.id);
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
    services.drafts.setText(draft.id, 'Draft survives');
    await services.close();
    services = await openServices({ config: services.config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
    expect(services.drafts.open(conversationId)).toMatchObject({ text: 'Draft survives', files: [{ fileName: 'scan.pdf', problem: null }] });
  });
});
