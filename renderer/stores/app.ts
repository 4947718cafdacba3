import { create } from 'zustand';
import { translator, type Translate } from '../../common/i18n';
import type { ApiError, Lang, RequestOutput } from '../../preload/contract';
import { api } from '../api';

type Info = RequestOutput<'app.info'>;

interface AppState {
  info: Info | null;
  lang: Lang;
  t: Translate;
  loadError: ApiError | null;
  load(): Promise<void>;
}

export const useApp = create<AppState>((set) => ({
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
