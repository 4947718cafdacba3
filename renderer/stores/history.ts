import { create } from 'zustand';
import type { ApiError, MessageView, SaveAllMode, SaveOutcome } from '../../preload/contract';
import { api } from '../api';
import { completeSave } from '../save-outcome';

interface Progress {
  done: number;
  total: number;
}

interface HistoryState {
  conversationId: number | null;
  messages: MessageView[];
  /** Older messages remain on the server side of the history; loaded when scrolled to the top. */
  hasOlder: boolean;
  loadingOlder: boolean;
  loading: boolean;
  error: ApiError | null;
  /** Upload progress of messages being sent. */
  sending: Record<number, Progress>;
  /** Progress of "Download all files" per message. */
  saving: Record<number, Progress>;
  /** The last save's result, shown briefly. */
  notice: { kind: 'saved' | 'error'; text: string } | null;
  open(conversationId: number): Promise<void>;
  reload(): Promise<void>;
  loadOlder(): Promise<void>;
  close(): void;
  retry(messageId: number): Promise<void>;
  save(attachmentId: number): Promise<void>;
  saveAll(messageId: number, mode?: SaveAllMode): Promise<void>;
  saveOriginal(messageId: number): Promise<void>;
}

/** One history from pages loaded at different times: each message once, oldest first. */
function merge(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

export const useHistory = create<HistoryState>((set, get) => {
  async function finishSave(request: Promise<{ ok: true; value: SaveOutcome } | { ok: false; error: ApiError }>) {
    const result = await request;
    if (!result.ok) return set({ notice: { kind: 'error', text: result.error.message } });
    try {
      const files = await completeSave(result.value);
      if (files) set({ notice: { kind: 'saved', text: files.join(', ') } });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  }

  return {
    conversationId: null,
    messages: [],
    hasOlder: false,
    loadingOlder: false,
    loading: false,
    error: null,
    sending: {},
    saving: {},
    notice: null,
    async open(conversationId) {
      set({ conversationId, messages: [], hasOlder: false, loading: true, error: null, notice: null });
      const result = await api.conversations.open({ id: conversationId });
      if (get().conversationId !== conversationId) return;
      set(result.ok ? { ...result.value, loading: false } : { error: result.error, loading: false });
    },
    async reload() {
      const id = get().conversationId;
      if (id === null) return;
      const result = await api.conversations.open({ id });
      if (result.ok && get().conversationId === id) set({ messages: merge(get().messages, result.value.messages) });
    },
    async loadOlder() {
      const { conversationId, messages, hasOlder, loadingOlder } = get();
      if (conversationId === null || !hasOlder || loadingOlder || messages.length === 0) return;
      set({ loadingOlder: true });
      const result = await api.messages.list({ conversationId, before: messages[0]!.id });
      if (get().conversationId !== conversationId) return;
      if (!result.ok) return set({ loadingOlder: false, error: result.error });
      set({ messages: merge(get().messages, result.value.messages), hasOlder: result.value.hasOlder, loadingOlder: false });
    },
    close() {
      set({ conversationId: null, messages: [] });
    },
    async retry(messageId) {
      const result = await api.outbox.retry({ messageId });
      if (!result.ok) return set({ notice: { kind: 'error', text: result.error.message } });
      set({ messages: get().messages.map((m) => (m.id === messageId ? result.value : m)) });
    },
    save: (attachmentId) => finishSave(api.attachments.save({ attachmentId })),
    saveAll: (messageId, mode) => finishSave(api.attachments.saveAll(mode ? { messageId, mode } : { messageId })),
    saveOriginal: (messageId) => finishSave(api.messages.saveOriginal({ messageId })),
  };
});

api.on('mail.received', ({ conversationId }) => {
  if (useHistory.getState().conversationId === conversationId) void useHistory.getState().reload();
});

api.on('outbox.status', ({ conversationId, messageId, status, error }) => {
  const state = useHistory.getState();
  if (state.conversationId !== conversationId) return;
  if (!state.messages.some((m) => m.id === messageId)) return void state.reload();
  useHistory.setState({ messages: state.messages.map((m) => (m.id === messageId ? { ...m, status, error } : m)) });
});

api.on('outbox.progress', ({ messageId, sent, total }) => {
  useHistory.setState((s) => ({ sending: { ...s.sending, [messageId]: { done: sent, total } } }));
});

api.on('attachments.progress', ({ messageId, done, total }) => {
  useHistory.setState((s) => ({ saving: { ...s.saving, [messageId]: { done, total } } }));
});
