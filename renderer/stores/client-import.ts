import { createStore, type StoreApi } from 'zustand/vanilla';
import { MAX_IMPORT_SIZE, type ImportReport } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import { hookFor } from './context';

export interface ClientImportState {
  open: boolean;
  busy: boolean;
  report: ImportReport | null;
  error: string | null;
  /** The chosen file is over MAX_IMPORT_SIZE: said before reading it. */
  tooLarge: boolean;
  show(): void;
  /** Reads the file in the page and sends its text: main never gets a path from the page. */
  importFile(file: File): Promise<void>;
  close(): void;
}

export type ClientImportStore = StoreApi<ClientImportState>;

export function createClientImportStore(api: PostdeskApi): ClientImportStore {
  return createStore<ClientImportState>((set) => ({
    open: false,
    busy: false,
    report: null,
    error: null,
    tooLarge: false,
    show() {
      set({ open: true, report: null, error: null, tooLarge: false });
    },
    async importFile(file) {
      set({ report: null, error: null, tooLarge: file.size > MAX_IMPORT_SIZE });
      if (file.size > MAX_IMPORT_SIZE) return;
      set({ busy: true });
      const result = await api.clients.import({ csv: await file.text() });
      set(result.ok ? { busy: false, report: result.value } : { busy: false, error: result.error.message });
    },
    close() {
      set({ open: false, report: null, error: null, tooLarge: false });
    },
  }));
}

export const useClientImport = hookFor((s) => s.clientImport);
