// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientSearchResult, Result } from '../../../preload/contract';
import { SEARCH_DEBOUNCE_MS } from '../../../renderer/stores/client-search';
import { fail, later, ok, settled } from '../../support/fake-api';
import { conversation, draft, found } from './samples';
import { wiredStores } from './wired-stores';

afterEach(() => {
  vi.useRealTimers();
});

describe('the client search', () => {
  it('asks main once the operator stops typing, for what the field then says', async () => {
    vi.useFakeTimers();
    const { fake, stores } = wiredStores();
    fake.answer('clients.search', ({ query }) => ok([found({ id: 1, name: `${query} Stone` })]));

    stores.clientSearch.getState().type('B');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    stores.clientSearch.getState().type('Bo');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(fake.calls('clients.search')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    expect(fake.calls('clients.search')).toEqual([{ query: 'Bo' }]);
    expect(stores.clientSearch.getState()).toMatchObject({ query: 'Bo', answered: 'Bo', results: [{ name: 'Bo Stone' }] });
  });

  it('drops an answer to what the field said before', async () => {
    vi.useFakeTimers();
    const { fake, stores } = wiredStores();
    const slow = later<Result<ClientSearchResult[]>>();
    fake.answer('clients.search', () => slow.promise);

    stores.clientSearch.getState().type('Bo');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    stores.clientSearch.getState().type('Bob');
    slow.resolve(ok([found({ id: 1, name: 'Bo' })]));
    await vi.advanceTimersByTimeAsync(0);

    expect(stores.clientSearch.getState()).toMatchObject({ query: 'Bob', answered: '', results: [] });
  });

  it('an emptied field shows nothing and asks nothing', async () => {
    vi.useFakeTimers();
    const { fake, stores } = wiredStores();
    fake.answer('clients.search', () => ok([found({ id: 1 })]));
    stores.clientSearch.getState().type('Bob');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);

    stores.clientSearch.getState().type('  ');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);

    expect(stores.clientSearch.getState()).toMatchObject({ results: [], answered: '' });
    expect(fake.calls('clients.search')).toHaveLength(1);
  });

  it("choosing a client opens their latest conversation and empties the search", async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.latestOfClient', () => ok(conversation({ id: 4, status: 'completed' })));
    fake.answer('conversations.list', ({ status }) => ok(status === 'completed' ? [conversation({ id: 4, status: 'completed' })] : []));
    fake.answer('conversations.open', () => ok({ messages: [], hasOlder: false }));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId })));
    stores.clientSearch.setState({ query: 'Bob', answered: 'Bob', results: [found({ id: 2 })] });

    await stores.clientSearch.getState().choose(found({ id: 2 }));
    await settled();

    expect(stores.clientSearch.getState()).toMatchObject({ query: '', results: [], withoutConversation: null });
    expect(stores.conversations.getState()).toMatchObject({ tab: 'completed', selectedId: 4 });
  });

  it('a client without a conversation is said so on their row; a failure is said in the list', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.latestOfClient', ({ clientId }) => (clientId === 2 ? ok(null) : fail('The store is locked')));
    stores.clientSearch.setState({ query: 'Bob' });

    await stores.clientSearch.getState().choose(found({ id: 2 }));
    expect(stores.clientSearch.getState()).toMatchObject({ withoutConversation: 2, query: 'Bob' });

    await stores.clientSearch.getState().choose(found({ id: 3 }));
    expect(stores.conversations.getState().error?.message).toBe('The store is locked');
  });
});
