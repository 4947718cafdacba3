import { createStore, type StoreApi } from 'zustand/vanilla';
import { translator, type Translate } from '../../common/i18n';
import type { ApiError, Lang, RequestOutput } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import { hookFor } from './context';

type Info = RequestOutput<'app.info'>;

export interface AppState {
  info: Info | null;
  lang: Lang;
  t: Translate;
  loadError: ApiError | null;
  load(): Promise<void>;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: PostdeskApi): AppStore {
  return createStore<AppState>((set) => ({
    info: null,
    lang: 'en',
    t: translator('en'),
    loadError: null,
    async load() {
      const result = await api.app.info();
      if (!result.ok) return set({ loadError: result.error });
      document.documentElement.lang = result.value.lang;
      set({ info: result.value, lang: result.value.lang, t: translator(result.value.lang) });
    },
  }));
}

export const useApp = hookFor((s) => s.app);
