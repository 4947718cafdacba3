// The new-message window: step 1 picks the channel (and, if need be, gives the client an
// address), step 2 writes the message in its own draft; sending closes the window and shows
// the conversation where it now is: under Completed, or under Active when the client's mail
// in it was waiting (the window said so).
import { create } from 'zustand';
import type { ChannelView, ClientView } from '../../preload/contract';
import { api } from '../api';
import { useConversations } from './conversations';
import { createDraftStore } from './draft-store';

export const useOutgoingDraft = createDraftStore();

type Step = 'channel' | 'compose';

interface OutgoingState {
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

/** A channel the window offers: configured (it is listed) and not in error. */
export function availableChannels(channels: ChannelView[]): ChannelView[] {
  return channels.filter((c) => c.state.kind !== 'error');
}

export const useOutgoing = create<OutgoingState>((set, get) => ({
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
    await useOutgoingDraft.getState().load(() => api.drafts.openOutgoing({ clientId: client.id, channelId }));
  },
  async back() {
    await useOutgoingDraft.getState().close();
    set({ step: 'channel' });
  },
  async send() {
    const sent = await useOutgoingDraft.getState().send();
    if (!sent) return;
    await get().close();
    const conversation = await api.conversations.get({ id: sent.conversationId });
    if (conversation.ok) await useConversations.getState().reveal(conversation.value);
  },
  async close() {
    await useOutgoingDraft.getState().close();
    set({ client: null, step: 'channel', channelId: null, error: null });
  },
}));

// What the window says about the client's waiting mail follows it while the window is open:
// the client may write, another desk may answer or complete the conversation.
api.on('mail.received', () => void useOutgoingDraft.getState().refresh());
api.on('conversations.changed', () => void useOutgoingDraft.getState().refresh());
