// Files saved from a client's mail carry where they came from (issue 10, item 7): one file, all
// into a folder, a ZIP (the archive itself) and the original .eml, each checked on the real file
// with getfattr; the operator's own files are not marked.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { openServices, type Services } from '../../main/services';
import { buildMessage } from '../support/mail-builder';
import { PDF, PNG } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';
import { originOf } from '../support/xattr';
import { queued } from '../support/queued';

describe('the origin mark on saved files', () => {
  const tmp = tempDir('postdesk-origin-');
  const saved = path.join(tmp.dir, 'saved');
  const folder = path.join(tmp.dir, 'folder');
  let services: Services;
  let next = 0;

  beforeAll(async () => {
    mkdirSync(saved);
    mkdirSync(folder);
    const config = configWith({
      channels: [
        {
          id: 'c', name: 'C', address: 'operator@example.test',
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        },
      ],
    });
    services = await openServices({
      config,
      dataDir: path.join(tmp.dir, 'data'),
      lang: 'en',
      version: 'test',
      startMail: false,
      // The desktop app's dialogs, answered: a new name for every file, one folder.
      saveDialogs: { saveFile: async (name) => path.join(saved, `${++next}-${name}`), chooseFolder: async () => folder },
    });
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('marks one file, a folder of files, a ZIP and the original of a client’s mail with mailto: of the sender', async () => {
    const raw = await buildMessage({
      from: 'Иван <ivan.petrov@example.test>',
      to: 'operator@example.test',
      subject: 'Documents',
      attachments: [
        { filename: 'photo.png', content: PNG },
        { filename: 'Счёт №7.pdf', content: PDF },
      ],
    });
    const messageId = (await services.ingest.ingest('c', raw))!;
    const [photo] = services.attachments.listForMessage(messageId);

    const one = await services.saving.saveOne(photo!.id);
    const zip = await services.saving.saveAll(messageId, 'zip');
    const all = await services.saving.saveAll(messageId, 'folder');
    const original = await services.saving.saveOriginal(messageId);
    const files = [one, zip, original].flatMap((o) => (o.status === 'saved' ? o.files : []));
    expect(files.map((f) => path.basename(f))).toEqual(['1-photo.png', '2-Documents-attachments.zip', '3-Documents.eml']);
    expect(all).toEqual({ status: 'saved', files: ['photo.png', 'Счёт №7.pdf'] });
    for (const file of [...files, ...readdirSync(folder).map((name) => path.join(folder, name))]) {
      expect(originOf(file), file).toBe('mailto:ivan.petrov@example.test');
    }
  });

  it('leaves the operator’s own files unmarked', async () => {
    const client = services.clients.create({ name: 'Client', email: 'client@example.test' });
    const draft = services.drafts.open(services.conversations.ensure(client.id, 'c'));
    await services.drafts.attachStream(draft.id, 'reply.pdf', Readable.from([PDF]));
    services.drafts.update(draft.id, { text: 'Here it is' });
    const { messageId } = queued(await services.drafts.send(draft.id));
    const outcome = await services.saving.saveOne(services.attachments.listForMessage(messageId)[0]!.id);
    expect(outcome.status).toBe('saved');
    const file = outcome.status === 'saved' ? outcome.files[0]! : '';
    expect(path.basename(file)).toMatch(/-reply\.pdf$/);
    expect(originOf(file)).toBeNull();
  });
});
