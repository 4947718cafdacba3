// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ConversationSummary, Result } from '../../../preload/contract';
import { fail, later, ok, settled, type FakeApi } from '../../support/fake-api';
import { conversation, draft, message } from './samples';
import { wiredStores } from './wired-stores';

/** Main's lists by tab, as they stand now. */
function lists(fake: FakeApi, active: ConversationSummary[], completed: ConversationSummary[] = []) {
  fake.answer('conversations.list', ({ status }) => ok(status === 'active' ? active : completed));
}

/** What opening a conversation asks of main: its history and its reply's draft. */
function openable(fake: FakeApi) {
  fake.answer('conversations.open', ({ id }) => ok({ messages: [message({ id: id * 10, conversationId: id })], hasOlder: false }));
  fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: conversationId * 100, conversationId })));
}

describe('the conversation list', () => {
  it('selecting a conversation marks it read, opens its history and its reply', async () => {
    const { fake, stores } = wiredStores();
    lists(fake, [conversation({ id: 1, unread: true }), conversation({ id: 2, unread: true })]);
    openable(fake);
    await stores.conversations.getState().load();

    stores.conversations.getState().select(1);
    await settled();

    const { items, selected, selectedId } = stores.conversations.getState();
    expect(items.map((c) => [c.id, c.unread])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(selectedId).toBe(1);
    expect(selected).toMatchObject({ id: 1, unread: false });
    expect(stores.history.getState().messages.map((m) => m.id)).toEqual([10]);
    expect(stores.composer.getState().draft?.id).toBe(100);
  });

  it('drops a list answered for a tab the operator has left meanwhile', async () => {
    const { fake, stores } = wiredStores();
    const slowActive = later<Result<ConversationSummary[]>>();
    fake.answer('conversations.list', ({ status }) => (status === 'active' ? slowActive.promise : ok([conversation({ id: 7, status: 'completed' })])));

    const activeLoad = stores.conversations.getState().load();
    await stores.conversations.getState().setTab('completed');
    slowActive.resolve(ok([conversation({ id: 1 })]));
    await activeLoad;

    expect(stores.conversations.getState().tab).toBe('completed');
    expect(stores.conversations.getState().items.map((c) => c.id)).toEqual([7]);
  });

  it('shows why the list could not be read, and forgets it once it can', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.list', () => fail('The store is locked'));
    await stores.conversations.getState().load();
    expect(stores.conversations.getState().error?.message).toBe('The store is locked');

    lists(fake, [conversation({ id: 1 })]);
    await stores.conversations.getState().load();
    expect(stores.conversations.getState().error).toBeNull();
    expect(stores.conversations.getState().items).toHaveLength(1);
  });

  it('Complete shows the open conversation completed and the list without it', async () => {
    const { fake, stores } = wiredStores();
    lists(fake, [conversation({ id: 1 }), conversation({ id: 2 })]);
    openable(fake);
    await stores.conversations.getState().load();
    stores.conversations.getState().select(1);
    fake.answer('conversations.complete', ({ id }) => ok(conversation({ id, status: 'completed' })));
    lists(fake, [conversation({ id: 2 })]);

    await stores.conversations.getState().complete(1);

    expect(stores.conversations.getState().selected?.status).toBe('completed');
    expect(stores.conversations.getState().items.map((c) => c.id)).toEqual([2]);
    expect(fake.calls('conversations.complete')).toEqual([{ id: 1 }]);
  });

  it('a refused Take over is said where the list shows errors', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.takeOver', () => fail('Alice is still replying'));

    await stores.conversations.getState().takeOver(3);

    expect(stores.conversations.getState().error?.message).toBe('Alice is still replying');
  });

  it('reveals a conversation on the other tab: the tab changes, then it opens', async () => {
    const { fake, stores } = wiredStores();
    lists(fake, [conversation({ id: 1 })], [conversation({ id: 5, status: 'completed', unread: true })]);
    openable(fake);

    await stores.conversations.getState().reveal({ id: 5, status: 'completed' });
    await settled();

    expect(stores.conversations.getState().tab).toBe('completed');
    expect(stores.conversations.getState().selected).toMatchObject({ id: 5, unread: false });
    expect(stores.history.getState().conversationId).toBe(5);
  });

  it('new mail, a sent reply and another desk each bring the list up to date', async () => {
    const { fake, stores } = wiredStores();
    lists(fake, [conversation({ id: 1 })]);
    await stores.conversations.getState().load();

    lists(fake, [conversation({ id: 2 }), conversation({ id: 1 })]);
    fake.emit('mail.received', { channelId: 'support', direction: 'in', conversationId: 2, messageId: 20 });
    await settled();
    expect(stores.conversations.getState().items.map((c) => c.id)).toEqual([2, 1]);

    lists(fake, [conversation({ id: 1 }), conversation({ id: 2 })]);
    fake.emit('outbox.status', { conversationId: 1, messageId: 11, status: 'sent', error: null });
    await settled();
    expect(stores.conversations.getState().items.map((c) => c.id)).toEqual([1, 2]);

    lists(fake, [conversation({ id: 2 })]);
    fake.emit('conversations.changed', { ids: [1] });
    await settled();
    expect(stores.conversations.getState().items.map((c) => c.id)).toEqual([2]);
  });

  it('another desk claiming the open conversation shows on it, read as it is here', async () => {
    const { fake, stores } = wiredStores();
    lists(fake, [conversation({ id: 1, unread: true })]);
    openable(fake);
    await stores.conversations.getState().load();
    stores.conversations.getState().select(1);
    await settled();
    lists(fake, []);
    fake.answer('conversations.get', ({ id }) => ok(conversation({ id, unread: true, replying: { operator: 'Alice', stale: false } })));

    fake.emit('conversations.changed', { ids: [1] });
    await settled();

    expect(stores.conversations.getState().selected).toMatchObject({ id: 1, unread: false, replying: { operator: 'Alice' } });
  });
});
