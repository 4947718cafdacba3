import { create } from 'zustand';
import type { ClientSearchResult } from '../../preload/contract';
import { api } from '../api';

interface ClientSearchState {
  query: string;
  results: ClientSearchResult[];
  /** The query the results belong to (answers to older keystrokes are dropped). */
  answered: string;
  type(query: string): void;
}

const DEBOUNCE_MS = 200;
let timer: ReturnType<typeof setTimeout> | undefined;

export const useClientSearch = create<ClientSearchState>((set, get) => ({
  query: '',
  results: [],
  answered: '',
  type(query) {
    set({ query });
    clearTimeout(timer);
    if (!query.trim()) return set({ results: [], answered: '' });
    timer = setTimeout(async () => {
      const result = await api.clients.search({ query });
      if (get().query === query && result.ok) set({ results: result.value, answered: query });
    }, DEBOUNCE_MS);
  },
}));
