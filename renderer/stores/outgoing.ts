// The new-message window: step 1 picks the channel (and, if need be, gives the client an
// address), step 2 writes the message in its own draft; sending closes the window and shows
// the conversation where it now is: under Completed, or under Active when the client's mail
// in it was waiting (the window said so).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelView, ClientView } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';
import { hookFor } from './context';

type Step = 'channel' | 'compose';

export interface OutgoingState {
  client: ClientView | null;
  step: Step;
  /** The operator's choice; null until a choice is made (one available channel is chosen for them). */
  channelId: string | null;
  error: string | null;
  open(client: ClientView): void;
  chooseChannel(id: string): void;
  addEmail(email: string): Promise<void>;
  next(channelId: string): Promise<void>;
  back(): Promise<void>;
  send(): Promise<void>;
  close(): Promise<void>;
}

export type OutgoingStore = StoreApi<OutgoingState>;

/** A channel the window offers: configured (it is listed) and not in error. */
export function availableChannels(channels: ChannelView[]): ChannelView[] {
  return channels.filter((c) => c.state.kind !== 'error');
}

export function createOutgoingStore(api: PostdeskApi, { outgoingDraft, conversations }: Pick<Stores, 'outgoingDraft' | 'conversations'>): OutgoingStore {
  return createStore<OutgoingState>((set, get) => ({
    client: null,
    step: 'channel',
    channelId: null,
    error: null,
    open(client) {
      set({ client, step: 'channel', channelId: null, error: null });
    },
    chooseChannel(channelId) {
      set({ channelId });
    },
    async addEmail(email) {
      const client = get().client;
      if (!client) return;
      const result = await api.clients.setEmail({ clientId: client.id, email });
      set(result.ok ? { client: result.value, error: null } : { error: result.error.message });
    },
    async next(channelId) {
      const client = get().client;
      if (!client) return;
      set({ channelId, step: 'compose' });
      await outgoingDraft.getState().load(() => api.drafts.openOutgoing({ clientId: client.id, channelId }));
    },
    async back() {
      await outgoingDraft.getState().close();
      set({ step: 'channel' });
    },
    async send() {
      const sent = await outgoingDraft.getState().send();
      if (!sent) return;
      await get().close();
      await conversations.getState().revealById(sent.conversationId);
    },
    async close() {
      await outgoingDraft.getState().close();
      set({ client: null, step: 'channel', channelId: null, error: null });
    },
  }));
}

export const useOutgoing = hookFor((s) => s.outgoing);
export const useOutgoingDraft = hookFor((s) => s.outgoingDraft);
