import { create } from 'zustand';
import type { DraftView } from '../../preload/contract';
import { api } from '../api';
import { useHistory } from './history';

interface ComposerState {
  draft: DraftView | null;
  /** What the operator typed; saved to the draft shortly after typing stops. */
  text: string;
  busy: boolean;
  error: string | null;
  open(conversationId: number): Promise<void>;
  type(text: string): void;
  pick(): Promise<void>;
  attach(files: File[]): Promise<void>;
  remove(fileId: number): Promise<void>;
  removeInvalid(): Promise<void>;
  send(): Promise<void>;
}

const SAVE_AFTER_MS = 300;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

export const useComposer = create<ComposerState>((set, get) => {
  const apply = (result: { ok: true; value: DraftView } | { ok: false; error: { message: string } }) => {
    if (result.ok) set({ draft: result.value, error: null });
    else set({ error: result.error.message });
  };
  /** The typed text reaches the draft before anything that depends on it (send, restart). */
  const flush = async () => {
    clearTimeout(saveTimer);
    const { draft, text } = get();
    if (draft && draft.text !== text) apply(await api.drafts.setText({ draftId: draft.id, text }));
  };

  return {
    draft: null,
    text: '',
    busy: false,
    error: null,
    async open(conversationId) {
      await flush();
      set({ draft: null, text: '', error: null });
      const result = await api.drafts.open({ conversationId });
      if (result.ok) set({ draft: result.value, text: result.value.text });
      else set({ error: result.error.message });
    },
    type(text) {
      set({ text });
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => void flush(), SAVE_AFTER_MS);
    },
    async pick() {
      const draft = get().draft;
      if (draft) apply(await api.drafts.pickFiles({ draftId: draft.id }));
    },
    async attach(files) {
      const draft = get().draft;
      if (!draft || !api.uploadFile) return;
      set({ busy: true });
      for (const file of files) apply(await api.uploadFile(draft.id, file));
      set({ busy: false });
    },
    async remove(fileId) {
      const draft = get().draft;
      if (draft) apply(await api.drafts.removeFile({ draftId: draft.id, fileId }));
    },
    async removeInvalid() {
      const draft = get().draft;
      if (draft) apply(await api.drafts.removeInvalid({ draftId: draft.id }));
    },
    async send() {
      await flush();
      const draft = get().draft;
      if (!draft) return;
      set({ busy: true });
      const result = await api.drafts.send({ draftId: draft.id });
      set({ busy: false });
      if (!result.ok) return set({ error: result.error.message });
      await get().open(draft.conversationId);
      await useHistory.getState().reload();
    },
  };
});
