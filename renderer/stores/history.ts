import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError, AttachmentCheck, EventPayload, MessageView, Result, SaveAllMode, SaveOutcome } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import { isInfected } from '../../common/attachment-policy';
import { completeSave } from '../save-outcome';
import type { Editing } from './editing';
import { hookFor } from './context';

interface Progress {
  done: number;
  total: number;
}

export interface HistoryState {
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
  notice: Notice | null;
  /** A save waiting for the operator to accept its files' warnings ("Save anyway" / "Cancel"). */
  confirming: { files: Array<{ fileName: string; check: AttachmentCheck }>; proceed(): Promise<void> } | null;
  confirmSave(): Promise<void>;
  cancelSave(): void;
  open(conversationId: number): Promise<void>;
  reload(): Promise<void>;
  loadOlder(): Promise<void>;
  /** New mail, or its files' checks done: the open conversation shows them. */
  reloadIfOpen(conversationId: number): void;
  /** An outgoing message changed status; one the open history does not have yet is fetched. */
  statusChanged(change: EventPayload<'outbox.status'>): void;
  retry(messageId: number): Promise<void>;
  /** Edit: the unsent message goes back into its draft (the reply below, or the new-message window). */
  edit(messageId: number): Promise<void>;
  /** Cancel send: the unsent message is taken back. */
  cancelSend(messageId: number): Promise<void>;
  save(attachmentId: number): Promise<void>;
  saveAll(messageId: number, mode?: SaveAllMode): Promise<void>;
  saveOriginal(messageId: number): Promise<void>;
}

/** What a save did; 'blocked' names a file main refused because a virus was found in it. */
export type Notice =
  | { kind: 'saved'; text: string; leftOut: string[] }
  | { kind: 'error'; text: string }
  | { kind: 'blocked'; fileName: string; signature: string };

function failure(error: ApiError): Notice {
  const { reason, fileName, signature } = error.details ?? {};
  return reason === 'infected' ? { kind: 'blocked', fileName: String(fileName), signature: String(signature) } : { kind: 'error', text: error.message };
}

/** The files of a message main leaves out of "Download all": the infected ones. */
function infectedNames(messages: MessageView[], messageId: number): string[] {
  const message = messages.find((m) => m.id === messageId);
  return (message?.attachments ?? []).filter((a) => !a.inline && isInfected(a)).map((a) => a.fileName);
}

/** One history from pages loaded at different times: each message once, oldest first. */
function merge(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

export type HistoryStore = StoreApi<HistoryState>;

/** `editing` reopens the draft an unsent message goes back to (the history does not own the composers). */
export function createHistoryStore(api: PostdeskApi, editing: Editing): HistoryStore {
  return createStore<HistoryState>((set, get) => {
    /** Asks main; when it answers "confirm", the same request goes again with the warnings accepted once the operator agrees. */
    async function finishSave(request: (acceptWarnings: boolean) => Promise<Result<SaveOutcome>>, leftOut: string[] = [], acceptWarnings = false): Promise<void> {
      const result = await request(acceptWarnings);
      if (!result.ok) return set({ notice: failure(result.error) });
      const outcome = result.value;
      if (outcome.status === 'confirm') {
        set({ confirming: { files: outcome.files, proceed: () => finishSave(request, leftOut, true) } });
        return;
      }
      try {
        const files = await completeSave(outcome);
        if (files) set({ notice: { kind: 'saved', text: files.join(', '), leftOut } });
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
      confirming: null,
      async confirmSave() {
        const pending = get().confirming;
        set({ confirming: null });
        await pending?.proceed();
      },
      cancelSave() {
        set({ confirming: null });
      },
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
      reloadIfOpen(conversationId) {
        if (get().conversationId === conversationId) void get().reload();
      },
      statusChanged({ conversationId, messageId, status, error }) {
        const { conversationId: open, messages, reload } = get();
        if (open !== conversationId) return;
        if (!messages.some((m) => m.id === messageId)) return void reload();
        set({ messages: messages.map((m) => (m.id === messageId ? { ...m, status, error } : m)) });
      },
      async retry(messageId) {
        const result = await api.outbox.retry({ messageId });
        if (!result.ok) return set({ notice: { kind: 'error', text: result.error.message } });
        set({ messages: get().messages.map((m) => (m.id === messageId ? result.value : m)) });
      },
      async edit(messageId) {
        const result = await api.outbox.edit({ messageId });
        if (!result.ok) return set({ notice: { kind: 'error', text: result.error.message } });
        set({ messages: get().messages.filter((m) => m.id !== messageId) });
        await editing.opened(result.value);
      },
      async cancelSend(messageId) {
        const result = await api.outbox.cancel({ messageId });
        if (!result.ok) return set({ notice: { kind: 'error', text: result.error.message } });
        set({ messages: get().messages.filter((m) => m.id !== messageId) });
      },
      save: (attachmentId) => finishSave((acceptWarnings) => api.attachments.save({ attachmentId, acceptWarnings })),
      saveAll: (messageId, mode) =>
        finishSave((acceptWarnings) => api.attachments.saveAll({ messageId, acceptWarnings, ...(mode ? { mode } : {}) }), infectedNames(get().messages, messageId)),
      saveOriginal: (messageId) => finishSave(() => api.messages.saveOriginal({ messageId })),
    };
  });
}

export const useHistory = hookFor((s) => s.history);
