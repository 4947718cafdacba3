// An update the desktop app downloaded (main/app/updates.ts): the header offers Restart to update.
// Only the desktop app's main says an update is ready; in the browser host the banner never shows.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PostdeskApi } from '../../preload/verbs';
import { hookFor } from './context';

export interface UpdatesState {
  /** The version downloaded and waiting for a restart; null until main says one is. */
  ready: string | null;
  restarting: boolean;
  /** Why Restart to update did not go (main's words). */
  error: string | null;
  downloaded(version: string): void;
  restart(): Promise<void>;
}

export type UpdatesStore = StoreApi<UpdatesState>;

export function createUpdatesStore(api: PostdeskApi): UpdatesStore {
  return createStore<UpdatesState>((set) => ({
    ready: null,
    restarting: false,
    error: null,
    downloaded: (version) => set({ ready: version, error: null }),
    async restart() {
      set({ restarting: true, error: null });
      const result = await api.app.restartToUpdate();
      // On success the app quits; until it does the button stays pressed.
      if (!result.ok) set({ restarting: false, error: result.error.message });
    },
  }));
}

export const useUpdates = hookFor((s) => s.updates);
