import { create } from 'zustand';
import type { ClientSearchResult } from '../../preload/contract';
import { api } from '../api';
import { useConversations } from './conversations';

interface ClientSearchState {
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

const DEBOUNCE_MS = 200;
let timer: ReturnType<typeof setTimeout> | undefined;

export const useClientSearch = create<ClientSearchState>((set, get) => ({
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
    }, DEBOUNCE_MS);
  },
  async choose(client) {
    const result = await api.conversations.latestOfClient({ clientId: client.id });
    if (!result.ok) return useConversations.setState({ error: result.error });
    if (result.value === null) return set({ withoutConversation: client.id });
    get().type('');
    await useConversations.getState().reveal(result.value);
  },
}));
