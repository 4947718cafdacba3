import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { openServices } from '../../main/services';
import { incoming } from '../support/incoming';
import { PDF, PNG, RTF, sha256 } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 60 * 60_000);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 1)]);

describe('sweeping attachment bytes nothing refers to', () => {
  const tmp = tempDir('postdesk-sweep-');
  afterAll(() => tmp.cleanup());

  it('at start removes old unreferenced blobs and temp leftovers, keeps every referenced or recent one', async () => {
    const config = configWith({
      channels: [
        {
          id: 'c', name: 'C', address: 'operator@example.test',
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        },
      ],
    });
    const open = () => openServices({ config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
    let services = await open();
    const { blobs } = services;
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'Client', email: 'client@example.test' }).id, 'c');
    const raw = await blobs.putBuffer(Buffer.from('From: client@example.test\r\n\r\nraw'));
    const received = await blobs.putBuffer(PNG);
    services.messages.insertIncoming(
      incoming(conversationId, {
        rawBlobKey: raw.key,
        attachments: [{ fileName: 'photo.png', mediaType: 'image/png', size: PNG.length, blobKey: received.key, contentId: null, inline: false }],
      }),
    );
    const draft = services.drafts.open(conversationId);
    await services.drafts.attachStream(draft.id, 'kept.pdf', Readable.from([PDF]));
    await services.drafts.attachStream(draft.id, 'setup.pdf', Readable.from([EXE])); // refused: its bytes are nobody's
    const removed = (await services.drafts.attachStream(draft.id, 'notes.rtf', Readable.from([RTF]))).files.find((f) => f.fileName === 'notes.rtf')!;
    services.drafts.remove(draft.id, removed.id);
    const recentOrphan = await blobs.putBuffer(Buffer.from('attached a minute ago, row not written yet'));
    const leftover = path.join(blobs.root, 'tmp', 'crash-leftover');
    writeFileSync(leftover, 'half a file');
    await services.close();

    const key = (bytes: Buffer) => blobs.pathOf(sha256(bytes));
    for (const file of [blobs.pathOf(raw.key), blobs.pathOf(received.key), key(PDF), key(EXE), key(RTF), leftover]) {
      utimesSync(file, TWO_HOURS_AGO, TWO_HOURS_AGO);
    }
    services = await open();
    await services.close(); // waits for the sweep

    expect(existsSync(blobs.pathOf(raw.key))).toBe(true);
    expect(existsSync(blobs.pathOf(received.key))).toBe(true);
    expect(existsSync(key(PDF))).toBe(true);
    expect(existsSync(blobs.pathOf(recentOrphan.key))).toBe(true);
    expect(existsSync(key(EXE))).toBe(false);
    expect(existsSync(key(RTF))).toBe(false);
    expect(readdirSync(path.join(blobs.root, 'tmp'))).toEqual([]);
  });

  it('keeps an old unreferenced blob that is stored again, since its new owner is about to refer to it', async () => {
    const services = await openServices({ config: configWith({}), dataDir: path.join(tmp.dir, 'again'), lang: 'en', version: 'test', startMail: false });
    const { blobs } = services;
    const blob = await blobs.putBuffer(RTF);
    utimesSync(blobs.pathOf(blob.key), TWO_HOURS_AGO, TWO_HOURS_AGO);
    await blobs.putBuffer(RTF);
    expect(await blobs.sweep(() => false, new Date(Date.now() - 60 * 60_000))).toEqual({ removed: 0, bytes: 0 });
    utimesSync(blobs.pathOf(blob.key), TWO_HOURS_AGO, TWO_HOURS_AGO);
    expect(await blobs.sweep(() => false, new Date(Date.now() - 60 * 60_000))).toEqual({ removed: 1, bytes: RTF.length });
    await services.close();
  });
});
