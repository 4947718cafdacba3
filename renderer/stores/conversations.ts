import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, ConversationStatus, ConversationSummary, Result } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';
import { hookFor } from './context';

export interface ConversationsState {
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
  /** `reveal` for a conversation known only by its id (a notification clicked, a new message sent). */
  revealById(id: number): Promise<void>;
}

export type ConversationsStore = StoreApi<ConversationsState>;

export function createConversationsStore(api: PostdeskApi, { history, reply }: Pick<Stores, 'history' | 'reply'>): ConversationsStore {
  return createStore<ConversationsState>((set, get) => {
    /** A verb on one conversation: the open one shows its new state, the list follows. */
    async function change(request: () => Promise<Result<ConversationSummary>>, id: number): Promise<void> {
      const result = await request();
      if (!result.ok) return set({ error: result.error });
      if (get().selectedId === id) set({ selected: result.value });
      await get().load();
    }

    return {
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
        void history.getState().open(id);
        void reply.open(id);
      },
      async reveal({ id, status }) {
        if (get().tab === status) await get().load();
        else await get().setTab(status);
        get().select(id);
      },
      async revealById(id) {
        const summary = await api.conversations.get({ id });
        if (summary.ok) await get().reveal(summary.value);
      },
      complete: (id) => change(() => api.conversations.complete({ id }), id),
      reopen: (id) => change(() => api.conversations.reopen({ id }), id),
      takeOver: (id) => change(() => api.conversations.takeOver({ id }), id),
      async refreshSelected() {
        const id = get().selectedId;
        if (id === null) return;
        const result = await api.conversations.get({ id });
        if (result.ok && get().selectedId === id) set({ selected: { ...result.value, unread: false } });
      },
    };
  });
}

export const useConversations = hookFor((s) => s.conversations);
