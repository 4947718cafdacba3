// "Create client": the form checks as the operator types (the rules main applies again),
// shows possible duplicates before saving, and on saving goes on to Write outgoing.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientFields } from '../../common/client-fields';
import type { ClientView, FieldProblem, RequestOutput } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { OutgoingStore } from './outgoing';
import { hookFor } from './context';

type Duplicates = Extract<RequestOutput<'clients.create'>, { status: 'duplicates' }>['duplicates'];

export interface ClientFormState {
  /** The form is open with these first values (from the search that found nothing). */
  initial: ClientFields | null;
  duplicates: Duplicates;
  /** Problems main found that the page did not (it checks the same rules; this is the fallback). */
  problems: FieldProblem[];
  error: string | null;
  busy: boolean;
  open(initial: ClientFields): void;
  save(fields: ClientFields, allowDuplicate: boolean): Promise<void>;
  /** The operator picked an existing client from the duplicates instead. */
  useExisting(client: ClientView): void;
  close(): void;
}

const CLOSED = { initial: null, duplicates: [], problems: [], error: null, busy: false };

/** What the operator searched for, put in the field it looks like. */
export function fieldsFromQuery(query: string): ClientFields {
  const q = query.trim();
  if (q.startsWith('@')) return { name: '', messengerUsername: q };
  if (q.includes('@')) return { name: '', email: q };
  if (/^\+?[\d\s().-]+$/.test(q) && /\d{5}/.test(q.replace(/\D/g, ''))) return { name: '', phone: q };
  return { name: q };
}

export type ClientFormStore = StoreApi<ClientFormState>;

export function createClientFormStore(api: PostdeskApi, outgoing: OutgoingStore): ClientFormStore {
  return createStore<ClientFormState>((set) => ({
    ...CLOSED,
    open(initial) {
      set({ ...CLOSED, initial });
    },
    async save(fields, allowDuplicate) {
      set({ busy: true, error: null });
      const result = await api.clients.create({ ...fields, allowDuplicate });
      set({ busy: false });
      if (!result.ok) {
        const problems = (result.error.details?.problems as FieldProblem[] | undefined) ?? [];
        return set({ problems, error: problems.length ? null : result.error.message });
      }
      if (result.value.status === 'duplicates') return set({ duplicates: result.value.duplicates, problems: [] });
      set(CLOSED);
      outgoing.getState().open(result.value.client);
    },
    useExisting(client) {
      set(CLOSED);
      outgoing.getState().open(client);
    },
    close() {
      set(CLOSED);
    },
  }));
}

export const useClientForm = hookFor((s) => s.clientForm);
