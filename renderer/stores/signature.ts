import { create } from 'zustand';
import { api } from '../api';
import { useApp } from './app';
import { useComposer } from './composer';

interface SignatureState {
  editing: boolean;
  text: string;
  error: string | null;
  open(): void;
  close(): void;
  save(text: string): Promise<void>;
}

export const useSignature = create<SignatureState>((set) => ({
  editing: false,
  text: '',
  error: null,
  open: () => set({ editing: true, text: useApp.getState().info?.signature ?? '', error: null }),
  close: () => set({ editing: false }),
  async save(text) {
    const result = await api.app.setSignature({ text });
    if (!result.ok) return set({ error: result.error.message });
    set({ editing: false });
    // What the app knows of it, and the reply's preview under the field, follow at once.
    await useApp.getState().load();
    await useComposer.getState().refresh();
  },
}));
