// Choosing a client in the search opens their conversation on the channel used most recently
// (issue 12, item 6): asked through the same door the page uses, on a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { openServices, type Services } from '../../main/services';
import { buildMessage } from '../support/mail-builder';
import { tempDir } from '../support/temp-dir';

const offline = (id: string, address: string) => ({
  id, name: id, address,
  imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
  smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
});

describe('the conversation a found client opens', () => {
  const tmp = tempDir('postdesk-latest-conversation-');
  let services: Services;
  const latest = (clientId: number) => dispatch(createHandlers(services), 'conversations.latestOfClient', { clientId });

  beforeAll(async () => {
    const config = configWith({ channels: [offline('support', 'support@example.test'), offline('sales', 'sales@example.test')] });
    services = await openServices({ config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  /** The client's mail to a channel, as the sync stores it when the server received it at `receivedAt`. */
  const clientWrites = async (channelId: string, to: string, receivedAt: string) => {
    const raw = await buildMessage({ from: 'Анна <anna@example.test>', to, subject: channelId });
    return services.messages.get((await services.ingest.ingest(channelId, raw, { receivedAt: Date.parse(receivedAt) }))!)!.conversationId;
  };

  it('is the one on the channel with the newest mail, whichever tab it is in', async () => {
    // Stored newest first: the order of the mail counts, not the order it reached this desk.
    const newer = await clientWrites('sales', 'sales@example.test', '2026-06-02T10:00:00Z');
    const older = await clientWrites('support', 'support@example.test', '2026-06-01T10:00:00Z');
    const clientId = services.conversations.get(older)!.clientId;
    expect(services.conversations.get(newer)!.clientId).toBe(clientId);
    services.conversationService.setStatus(newer, 'completed');

    expect(await latest(clientId)).toEqual({ ok: true, value: expect.objectContaining({ id: newer, status: 'completed', channelName: 'sales', clientName: 'Анна' }) });
  });

  it('is null for a client nobody has written to yet, and the door refuses what is no client id', async () => {
    const nobody = services.clients.create({ name: 'Новый Клиент', phone: '+7 900 000-00-02' });
    expect(await latest(nobody.id)).toEqual({ ok: true, value: null });
    expect(await latest(-1)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
