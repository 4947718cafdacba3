// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../support/fake-api';
import { client, draft, message } from './samples';
import { wiredStores } from './wired-stores';

describe('Edit of an unsent message', () => {
  it('a reply goes back into the reply field, which takes the focus', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.open', () => ok({ messages: [message({ id: 5, direction: 'out', kind: 'reply', status: 'failed' })], hasOlder: false }));
    await stores.history.getState().open(1);
    fake.answer('outbox.edit', () => ok({ kind: 'reply', conversationId: 1 }));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 3, conversationId, text: 'The unsent words' })));

    await stores.history.getState().edit(5);

    expect(stores.history.getState().messages).toEqual([]);
    expect(stores.composer.getState()).toMatchObject({ text: 'The unsent words', focusRequest: 1 });
  });

  it("a new message goes back into the new-message window, at its channel's step 2", async () => {
    const { fake, stores } = wiredStores();
    fake.answer('clients.get', ({ clientId }) => ok(client({ id: clientId, name: 'Bob' })));
    fake.answer('drafts.openOutgoing', ({ clientId, channelId }) => ok(draft({ id: 4, kind: 'outgoing', conversationId: null, clientId, channelId, subject: 'Offer' })));

    await stores.editing.opened({ kind: 'outgoing', clientId: 8, channelId: 'sales' });

    expect(stores.outgoing.getState()).toMatchObject({ client: { id: 8, name: 'Bob' }, step: 'compose', channelId: 'sales' });
    expect(stores.outgoingDraft.getState().subject).toBe('Offer');
  });

  it('a client main no longer has opens nothing', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('clients.get', () => fail('No such client', 'not_found'));

    await stores.editing.opened({ kind: 'outgoing', clientId: 8, channelId: 'sales' });

    expect(stores.outgoing.getState().client).toBeNull();
    expect(fake.calls('drafts.openOutgoing')).toEqual([]);
  });
});
