import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientSearchResult } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { ConversationsStore } from './conversations';
import { hookFor } from './context';

export interface ClientSearchState {
  query: string;
  results: ClientSearchResult[];
  /** The query the results belong to (answers to older keystrokes are dropped). */
  answered: string;
  /** The client chosen last who has no conversation yet (the row says so and offers Write outgoing). */
  withoutConversation: number | null;
  type(query: string): void;
  /** Opens the client's conversation on the channel used most recently; the search closes. */
  choose(client: ClientSearchResult): Promise<void>;
}

export type ClientSearchStore = StoreApi<ClientSearchState>;

export const SEARCH_DEBOUNCE_MS = 200;

export function createClientSearchStore(api: PostdeskApi, conversations: ConversationsStore): ClientSearchStore {
  let timer: ReturnType<typeof setTimeout> | undefined;

  return createStore<ClientSearchState>((set, get) => ({
    query: '',
    results: [],
    answered: '',
    withoutConversation: null,
    type(query) {
      set({ query, withoutConversation: null });
      clearTimeout(timer);
      if (!query.trim()) return set({ results: [], answered: '' });
      timer = setTimeout(async () => {
        const result = await api.clients.search({ query });
        if (get().query === query && result.ok) set({ results: result.value, answered: query });
      }, SEARCH_DEBOUNCE_MS);
    },
    async choose(client) {
      const result = await api.conversations.latestOfClient({ clientId: client.id });
      // The list is where the operator looks for what went wrong with a conversation.
      if (!result.ok) return conversations.setState({ error: result.error });
      if (result.value === null) return set({ withoutConversation: client.id });
      get().type('');
      await conversations.getState().reveal(result.value);
    },
  }));
}

export const useClientSearch = hookFor((s) => s.clientSearch);
