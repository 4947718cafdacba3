import { create } from 'zustand';
import type { ApiError, ConversationStatus, ConversationSummary, Result } from '../../preload/contract';
import { api } from '../api';
import { openReply } from './composer';
import { useHistory } from './history';

interface ConversationsState {
  tab: ConversationStatus;
  items: ConversationSummary[];
  error: ApiError | null;
  selectedId: number | null;
  /** The open conversation, kept when a tab change or completing takes it out of the list. */
  selected: ConversationSummary | null;
  setTab(tab: ConversationStatus): Promise<void>;
  load(): Promise<void>;
  select(id: number): void;
  complete(id: number): Promise<void>;
  /** Back to Active (on every desk of the team). */
  reopen(id: number): Promise<void>;
  /** This desk's claim replaces another operator's. */
  takeOver(id: number): Promise<void>;
  /** The open conversation as main has it now (another desk may have moved it, or claimed it). */
  refreshSelected(): Promise<void>;
  /** Opens a conversation from elsewhere (a message just sent, a client found): its tab, then the conversation. */
  reveal(conversation: Pick<ConversationSummary, 'id' | 'status'>): Promise<void>;
}

export const useConversations = create<ConversationsState>((set, get) => ({
  tab: 'active',
  items: [],
  error: null,
  selectedId: null,
  selected: null,
  async setTab(tab) {
    set({ tab, items: [] });
    await get().load();
  },
  async load() {
    const tab = get().tab;
    const result = await api.conversations.list({ status: tab });
    if (get().tab !== tab) return; // the operator switched tabs meanwhile
    if (!result.ok) return set({ error: result.error });
    const { selectedId } = get();
    const fresh = result.value.find((c) => c.id === selectedId);
    set({ items: result.value, error: null, ...(fresh ? { selected: fresh } : {}) });
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
  async reveal({ id, status }) {
    if (get().tab === status) await get().load();
    else await get().setTab(status);
    get().select(id);
  },
  complete: (id) => changeConversation(() => api.conversations.complete({ id }), id),
  reopen: (id) => changeConversation(() => api.conversations.reopen({ id }), id),
  takeOver: (id) => changeConversation(() => api.conversations.takeOver({ id }), id),
  async refreshSelected() {
    const id = get().selectedId;
    if (id === null) return;
    const result = await api.conversations.get({ id });
    if (result.ok && get().selectedId === id) set({ selected: { ...result.value, unread: false } });
  },
}));

/** A verb on one conversation: the open one shows its new state, the list follows. */
async function changeConversation(change: () => Promise<Result<ConversationSummary>>, id: number): Promise<void> {
  const result = await change();
  if (!result.ok) return useConversations.setState({ error: result.error });
  if (useConversations.getState().selectedId === id) useConversations.setState({ selected: result.value });
  await useConversations.getState().load();
}

// New mail and sent replies reorder the list live: no reload by the operator. So do the other
// desks of the team: their Complete, re-open and claims ("Alice is replying").
api.on('mail.received', () => void useConversations.getState().load());
api.on('outbox.status', () => void useConversations.getState().load());
api.on('conversations.changed', ({ ids }) => {
  const state = useConversations.getState();
  void state.load();
  if (state.selectedId !== null && ids.includes(state.selectedId)) void state.refreshSelected();
});
