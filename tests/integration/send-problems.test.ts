// Cancel send and Edit (issue 12, item 2) on a real SQLite file and blob store: an unsent
// message is taken back whole, or goes back into its draft with its text, subject, BCC and files.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { openServices, type Services } from '../../main/services';
import { OFFLINE_CHANNEL } from '../support/config-file';
import { queued } from '../support/queued';
import { PDF, PNG } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';

describe('an unsent message: Cancel send and Edit', () => {
  const tmp = tempDir('postdesk-send-problems-');
  let services: Services;
  let clientId: number;
  let conversationId: number;

  beforeAll(async () => {
    // The outbox never runs here: a queued message stays queued, as one that waits for a retry does.
    services = await openServices({ config: configWith({ channels: [OFFLINE_CHANNEL] }), dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
    clientId = services.clients.create({ name: 'Client', email: 'client@example.test' }).id;
    conversationId = services.conversations.ensure(clientId, OFFLINE_CHANNEL.id);
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  const replyWith = async (text: string) => {
    const draft = services.drafts.open(conversationId);
    services.drafts.update(draft.id, { text });
    await services.drafts.attachStream(draft.id, 'scan.pdf', Readable.from([PDF]));
    return queued(await services.drafts.send(draft.id, undefined, true)).messageId;
  };

  it('Cancel send takes the message back: no row, nothing left to send, the list has nothing to mark', async () => {
    const messageId = await replyWith('Never mind');
    services.messages.setStatus(messageId, 'failed', { code: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(services.conversationService.summary(conversationId).sendProblem).toBe('failed');
    services.outbox.cancel(messageId);
    expect(services.messages.get(messageId)).toBeUndefined();
    expect(services.messages.unsent()).not.toContain(messageId);
    expect(services.conversationService.summary(conversationId).sendProblem).toBeNull();
    expect(() => services.outbox.cancel(messageId)).toThrow(/no outgoing message/);
  });

  it('marks a message waiting for its retry as such, and refuses to take back one that is sent or on its way', async () => {
    const messageId = await replyWith('Retry me');
    expect(services.conversationService.summary(conversationId).sendProblem).toBeNull(); // queued, no failure yet
    services.messages.setStatus(messageId, 'queued', { code: 'timeout', detail: 'Greeting never received' });
    expect(services.conversationService.summary(conversationId).sendProblem).toBe('retrying');
    services.messages.setStatus(messageId, 'sending');
    expect(() => services.outbox.cancel(messageId)).toThrow(/being sent right now/);
    services.messages.setStatus(messageId, 'sent');
    expect(() => services.outbox.cancel(messageId)).toThrow(/already been sent/);
  });

  it('Edit puts a reply back into the empty reply field with its files, and refuses when the field holds something', async () => {
    const messageId = await replyWith('Here is the scan');
    services.messages.setStatus(messageId, 'failed', { code: 'server_refused', detail: '550 no' });
    const draft = services.drafts.open(conversationId);
    services.drafts.update(draft.id, { text: 'Something new' });
    await expect(services.drafts.restore(messageId)).rejects.toThrow(/already holds text or files/);
    expect(services.messages.get(messageId)).toBeDefined();

    services.drafts.update(draft.id, { text: '' });
    expect(await services.drafts.restore(messageId)).toEqual({ kind: 'reply', conversationId });
    expect(services.messages.get(messageId)).toBeUndefined();
    expect(services.drafts.view(draft.id)).toMatchObject({ text: 'Here is the scan', files: [{ fileName: 'scan.pdf', size: PDF.length, problem: null }], check: { canSend: true } });
  });

  it('Edit puts a new message back into the new-message window with its subject, BCC and files', async () => {
    const outgoing = services.drafts.openOutgoing(clientId, OFFLINE_CHANNEL.id);
    services.drafts.update(outgoing.id, { subject: 'Your photo', text: 'Attached.', bcc: ['boss@example.test'] });
    await services.drafts.attachStream(outgoing.id, 'photo.png', Readable.from([PNG]));
    const { messageId } = queued(await services.drafts.send(outgoing.id));
    services.messages.setStatus(messageId, 'failed', { code: 'unreachable', detail: '' });

    expect(await services.drafts.restore(messageId)).toEqual({ kind: 'outgoing', clientId, channelId: OFFLINE_CHANNEL.id });
    const again = services.drafts.openOutgoing(clientId, OFFLINE_CHANNEL.id);
    expect(again).toMatchObject({ subject: 'Your photo', text: 'Attached.', bcc: ['boss@example.test'], files: [{ fileName: 'photo.png', problem: null }] });
    expect(services.messages.get(messageId)).toBeUndefined();
  });
});
