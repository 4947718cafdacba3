// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { availableChannels } from '../../../renderer/stores/outgoing';
import { fail, ok, settled } from '../../support/fake-api';
import { channel, client, conversation, draft } from './samples';
import { wiredStores } from './wired-stores';

/** The window open for client 8 at step 2, writing through the channel "sales". */
async function writing() {
  const wired = wiredStores();
  const { fake, stores } = wired;
  fake.answer('drafts.openOutgoing', ({ clientId, channelId }) => ok(draft({ id: 4, kind: 'outgoing', conversationId: null, clientId, channelId })));
  stores.outgoing.getState().open(client({ id: 8 }));
  await stores.outgoing.getState().next('sales');
  return wired;
}

describe('the new-message window', () => {
  it('offers the channels that are not in error', () => {
    const channels = [channel({ id: 'a' }), channel({ id: 'b', state: { kind: 'error', reason: { code: 'login_failed', detail: '' } } }), channel({ id: 'c', state: { kind: 'syncing', done: 1, total: 2 } })];
    expect(availableChannels(channels).map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('gives the client an address, or says why it could not', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('clients.setEmail', ({ clientId, email }) => (email.includes('@') ? ok(client({ id: clientId, email })) : fail('Not an e-mail address')));
    stores.outgoing.getState().open(client({ id: 8, email: null }));

    await stores.outgoing.getState().addEmail('bob');
    expect(stores.outgoing.getState()).toMatchObject({ client: { email: null }, error: 'Not an e-mail address' });

    await stores.outgoing.getState().addEmail('bob@example.com');
    expect(stores.outgoing.getState()).toMatchObject({ client: { email: 'bob@example.com' }, error: null });
  });

  it("step 2 opens the draft for the client and channel; Back closes it", async () => {
    const { stores } = await writing();
    expect(stores.outgoing.getState()).toMatchObject({ step: 'compose', channelId: 'sales' });
    expect(stores.outgoingDraft.getState().draft).toMatchObject({ id: 4, clientId: 8, channelId: 'sales' });

    await stores.outgoing.getState().back();

    expect(stores.outgoing.getState().step).toBe('channel');
    expect(stores.outgoingDraft.getState().draft).toBeNull();
  });

  it('sent, the window closes and the conversation opens where it now is', async () => {
    const { fake, stores } = await writing();
    fake.answer('drafts.send', () => ok({ status: 'queued', messageId: 30, conversationId: 12 }));
    fake.answer('conversations.get', ({ id }) => ok(conversation({ id, status: 'completed' })));
    fake.answer('conversations.list', ({ status }) => ok(status === 'completed' ? [conversation({ id: 12, status: 'completed' })] : []));
    fake.answer('conversations.open', () => ok({ messages: [], hasOlder: false }));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 5, conversationId })));

    await stores.outgoing.getState().send();
    await settled();

    expect(stores.outgoing.getState().client).toBeNull();
    expect(stores.outgoingDraft.getState().draft).toBeNull();
    expect(stores.conversations.getState()).toMatchObject({ tab: 'completed', selectedId: 12 });
    expect(stores.history.getState().conversationId).toBe(12);
  });

  it("follows what the window says of the client's waiting mail as it changes", async () => {
    const { fake, stores } = await writing();
    fake.answer('conversations.list', () => ok([]));
    fake.answer('drafts.openOutgoing', ({ clientId, channelId }) =>
      ok(draft({ id: 4, kind: 'outgoing', conversationId: null, clientId, channelId, waiting: { unread: true, unanswered: true } })),
    );

    fake.emit('mail.received', { channelId: 'sales', direction: 'in', conversationId: 12, messageId: 31 });
    await settled();
    expect(stores.outgoingDraft.getState().draft?.waiting).toEqual({ unread: true, unanswered: true });

    fake.answer('drafts.openOutgoing', ({ clientId, channelId }) => ok(draft({ id: 4, kind: 'outgoing', conversationId: null, clientId, channelId, waiting: null })));
    fake.emit('conversations.changed', { ids: [12] });
    await settled();
    expect(stores.outgoingDraft.getState().draft?.waiting).toBeNull();
  });
});
