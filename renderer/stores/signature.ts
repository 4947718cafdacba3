import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';
import { hookFor } from './context';

export interface SignatureState {
  editing: boolean;
  text: string;
  error: string | null;
  open(): void;
  close(): void;
  save(text: string): Promise<void>;
}

export type SignatureStore = StoreApi<SignatureState>;

export function createSignatureStore(api: PostdeskApi, { app, composer }: Pick<Stores, 'app' | 'composer'>): SignatureStore {
  return createStore<SignatureState>((set) => ({
    editing: false,
    text: '',
    error: null,
    open: () => set({ editing: true, text: app.getState().info?.signature ?? '', error: null }),
    close: () => set({ editing: false }),
    async save(text) {
      const result = await api.app.setSignature({ text });
      if (!result.ok) return set({ error: result.error.message });
      set({ editing: false });
      // What the app knows of it, and the reply's preview under the field, follow at once.
      await app.getState().load();
      await composer.getState().refresh();
    },
  }));
}

export const useSignature = hookFor((s) => s.signature);
