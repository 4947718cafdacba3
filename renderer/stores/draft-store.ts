// One shape of store for every message being written: the reply under a conversation and the
// new-message window each create their own. What the operator types is saved to the draft in
// main shortly after typing stops, and always before anything that depends on it (send, close).
import { createStore, type StoreApi } from 'zustand/vanilla';
import { splitAddressList } from '../../common/client-fields';
import type { DraftView, RequestOutput, Result } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';

type SendOutcome = RequestOutput<'drafts.send'>;
export type SentDraft = Extract<SendOutcome, { status: 'queued' }>;
/** Why Send waits for the operator: another operator's claim, what reached the conversation meanwhile. */
export type SendConfirmation = Omit<Extract<SendOutcome, { status: 'confirm' }>, 'status'>;

export interface DraftState {
  draft: DraftView | null;
  /** As typed (the draft in main catches up after a pause). */
  text: string;
  subject: string;
  /** The BCC line as typed: addresses separated by commas, semicolons or spaces. */
  bcc: string;
  busy: boolean;
  error: string | null;
  /** Whether `error` is why Send failed (rather than why a file or an edit was refused). */
  failedToSend: boolean;
  /** Send is waiting for "Send anyway" or "Cancel". */
  confirming: SendConfirmation | null;
  /** Grows each time the message field should take the focus (after Send, after Edit). */
  focusRequest: number;
  focusMessage(): void;
  load(open: () => Promise<Result<DraftView>>): Promise<void>;
  /** The draft as main has it now (its recipient may have changed: the client wrote again); what is typed stays. */
  refresh(): Promise<void>;
  /** Where a reply goes, when the client's mail offers two addresses. */
  chooseRecipient(address: string): Promise<void>;
  type(text: string): void;
  setSubject(subject: string): void;
  setBcc(bcc: string): void;
  pick(): Promise<void>;
  attach(files: File[]): Promise<void>;
  remove(fileId: number): Promise<void>;
  removeInvalid(): Promise<void>;
  /** Scans again the files that wait for the virus check. */
  recheck(): Promise<void>;
  /** Saves what was typed, then sends; null when main refused (`error` set) or asks first (`confirming` set). */
  send(anyway?: boolean): Promise<SentDraft | null>;
  /** "Cancel" in the confirmation: nothing is sent, the draft stays. */
  cancelSend(): void;
  /** The draft as main answered a change made elsewhere (a template's files attached). */
  shown(draft: DraftView): void;
  /** Saves what was typed and forgets the draft (the window closes; the draft stays in main). */
  close(): Promise<void>;
}

const SAVE_AFTER_MS = 300;

/** Before a draft is loaded, and after its window closes. */
const NO_DRAFT = { draft: null, text: '', subject: '', bcc: '', error: null, failedToSend: false, confirming: null } as const;

export type DraftStore = StoreApi<DraftState>;

export function createDraftStore(api: PostdeskApi): DraftStore {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let reopen: (() => Promise<Result<DraftView>>) | undefined;

  return createStore<DraftState>((set, get) => {
    const apply = (result: Result<DraftView>) => {
      if (result.ok) set({ draft: result.value, error: null, failedToSend: false });
      else set({ error: result.error.message, failedToSend: false });
    };
    const flush = async () => {
      clearTimeout(saveTimer);
      const { draft, text, subject, bcc } = get();
      if (!draft) return;
      const changes: { text?: string; subject?: string; bcc?: string[] } = {};
      if (draft.text !== text) changes.text = text;
      if (draft.kind === 'outgoing') {
        if (draft.subject !== subject) changes.subject = subject;
        const addresses = splitAddressList(bcc);
        if (addresses.join('\n') !== draft.bcc.join('\n')) changes.bcc = addresses;
      }
      if (Object.keys(changes).length > 0) apply(await api.drafts.update({ draftId: draft.id, ...changes }));
    };
    const edit = (patch: Partial<Pick<DraftState, 'text' | 'subject' | 'bcc'>>) => {
      set(patch);
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void flush(), SAVE_AFTER_MS);
    };
    const withDraft = async (work: (draft: DraftView) => Promise<Result<DraftView>>) => {
      const draft = get().draft;
      if (draft) apply(await work(draft));
    };

    return {
      ...NO_DRAFT,
      busy: false,
      focusRequest: 0,
      focusMessage: () => set({ focusRequest: get().focusRequest + 1 }),
      async load(open) {
        await flush();
        reopen = open;
        set(NO_DRAFT);
        const result = await open();
        if (!result.ok) return set({ error: result.error.message });
        const draft = result.value;
        set({ draft, text: draft.text, subject: draft.subject, bcc: draft.bcc.join(', ') });
      },
      async refresh() {
        const id = get().draft?.id;
        if (!reopen || id === undefined) return;
        const result = await reopen();
        if (result.ok && get().draft?.id === id) set({ draft: result.value });
      },
      async chooseRecipient(address) {
        const draft = get().draft;
        const choice = draft?.replyToChoice;
        if (!draft || !choice) return;
        // The radio follows the click at once; main's answer then sets the To line (or, refused, puts it all back).
        set({ draft: { ...draft, replyToChoice: { ...choice, chosen: address === choice.from ? 'from' : 'reply-to' } } });
        const result = await api.drafts.chooseRecipient({ draftId: draft.id, address });
        apply(result);
        if (!result.ok) await get().refresh();
      },
      type: (text) => edit({ text }),
      setSubject: (subject) => edit({ subject }),
      setBcc: (bcc) => edit({ bcc }),
      pick: () => withDraft((draft) => api.drafts.pickFiles({ draftId: draft.id })),
      async attach(files) {
        const upload = api.uploadFile;
        if (!upload) return;
        set({ busy: true });
        // Each file is taken or refused on its own; a refusal stays on screen after the files that follow it are taken.
        const refusals = new Set<string>();
        for (const file of files) {
          const draft = get().draft;
          if (!draft) break;
          const result = await upload(draft.id, file);
          if (result.ok) set({ draft: result.value });
          else refusals.add(result.error.message);
        }
        set({ busy: false, error: refusals.size > 0 ? [...refusals].join(' ') : null, failedToSend: false });
      },
      remove: (fileId) => withDraft((draft) => api.drafts.removeFile({ draftId: draft.id, fileId })),
      removeInvalid: () => withDraft((draft) => api.drafts.removeInvalid({ draftId: draft.id })),
      recheck: () => withDraft((draft) => api.drafts.recheck({ draftId: draft.id })),
      async send(anyway = false) {
        await flush();
        const draft = get().draft;
        if (!draft) return null;
        set({ busy: true, confirming: null });
        // Main refuses if the message would now go anywhere but the To line the operator saw.
        const result = await api.drafts.send({ draftId: draft.id, to: draft.recipient?.address, ...(anyway ? { anyway } : {}) });
        set({ busy: false });
        if (!result.ok) {
          set({ error: result.error.message, failedToSend: true });
          await get().refresh();
          return null;
        }
        if (result.value.status === 'confirm') {
          const { replying, changes } = result.value;
          set({ confirming: { replying, changes } });
          return null;
        }
        return result.value;
      },
      cancelSend() {
        set({ confirming: null });
      },
      shown(draft) {
        if (get().draft?.id === draft.id) set({ draft });
      },
      async close() {
        await flush();
        reopen = undefined;
        set(NO_DRAFT);
      },
    };
  });
}
