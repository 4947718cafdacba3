import { create } from 'zustand';
import type { ImportReportView } from '../../preload/contract';
import { api } from '../api';

interface ClientImportState {
  open: boolean;
  busy: boolean;
  report: ImportReportView | null;
  error: string | null;
  show(): void;
  /** Reads the file in the page and sends its text: main never gets a path from the page. */
  importFile(file: File): Promise<void>;
  close(): void;
}

export const useClientImport = create<ClientImportState>((set) => ({
  open: false,
  busy: false,
  report: null,
  error: null,
  show() {
    set({ open: true, report: null, error: null });
  },
  async importFile(file) {
    set({ busy: true, report: null, error: null });
    const result = await api.clients.import({ csv: await file.text() });
    set(result.ok ? { busy: false, report: result.value } : { busy: false, error: result.error.message });
  },
  close() {
    set({ open: false, report: null, error: null });
  },
}));
