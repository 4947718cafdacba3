import { create } from 'zustand';
import type { ApiError, ConversationStatus, ConversationSummary } from '../../preload/contract';
import { api } from '../api';

interface ConversationsState {
  tab: ConversationStatus;
  items: ConversationSummary[];
  loading: boolean;
  error: ApiError | null;
  selectedId: number | null;
  setTab(tab: ConversationStatus): Promise<void>;
  load(): Promise<void>;
  select(id: number): void;
}

export const useConversations = create<ConversationsState>((set, get) => ({
  tab: 'active',
  items: [],
  loading: false,
  error: null,
  selectedId: null,
  async setTab(tab) {
    set({ tab, items: [] });
    await get().load();
  },
  async load() {
    const tab = get().tab;
    set({ loading: true });
    const result = await api.conversations.list({ status: tab });
    if (get().tab !== tab) return; // the operator switched tabs meanwhile
    set(result.ok ? { items: result.value, loading: false, error: null } : { loading: false, error: result.error });
  },
  select(id) {
    set({ selectedId: id });
  },
}));
