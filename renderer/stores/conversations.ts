import { create } from 'zustand';
import type { ApiError, ConversationStatus, ConversationSummary } from '../../preload/contract';
import { api } from '../api';
import { openReply } from './composer';
import { useHistory } from './history';

interface ConversationsState {
  tab: ConversationStatus;
  items: ConversationSummary[];
  loading: boolean;
  error: ApiError | null;
  selectedId: number | null;
  /** The open conversation, kept when a tab change or completing takes it out of the list. */
  selected: ConversationSummary | null;
  setTab(tab: ConversationStatus): Promise<void>;
  load(): Promise<void>;
  select(id: number): void;
  complete(id: number): Promise<void>;
  /** Opens a conversation from elsewhere (a message just sent): its tab, then the conversation. */
  reveal(id: number, status: ConversationStatus): Promise<void>;
}

export const useConversations = create<ConversationsState>((set, get) => ({
  tab: 'active',
  items: [],
  loading: false,
  error: null,
  selectedId: null,
  selected: null,
  async setTab(tab) {
    set({ tab, items: [] });
    await get().load();
  },
  async load() {
    const tab = get().tab;
    set({ loading: true });
    const result = await api.conversations.list({ status: tab });
    if (get().tab !== tab) return; // the operator switched tabs meanwhile
    if (!result.ok) return set({ loading: false, error: result.error });
    const { selectedId } = get();
    const fresh = result.value.find((c) => c.id === selectedId);
    set({ items: result.value, loading: false, error: null, ...(fresh ? { selected: fresh } : {}) });
  },
  select(id) {
    const selected = get().items.find((c) => c.id === id) ?? null;
    set({
      selectedId: id,
      selected: selected && { ...selected, unread: false },
      items: get().items.map((c) => (c.id === id ? { ...c, unread: false } : c)),
    });
    void useHistory.getState().open(id);
    void openReply(id);
  },
  async reveal(id, status) {
    if (get().tab === status) await get().load();
    else await get().setTab(status);
    get().select(id);
  },
  async complete(id) {
    const result = await api.conversations.complete({ id });
    if (!result.ok) return set({ error: result.error });
    if (get().selectedId === id) set({ selected: result.value });
    await get().load();
  },
}));

// New mail and sent replies reorder the list live: no reload by the operator.
api.on('mail.received', () => void useConversations.getState().load());
api.on('outbox.status', () => void useConversations.getState().load());
