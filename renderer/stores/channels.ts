import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelView, EventPayload } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import { hookFor } from './context';

type HeardState = Omit<EventPayload<'channels.state'>, 'id'>;

export interface ChannelsState {
  channels: ChannelView[];
  load(): Promise<void>;
  check(id: string): Promise<void>;
  /** Main told a change of this channel's state (connecting, syncing, errors) as it happened. */
  heard(id: string, changed: HeardState): void;
}

export type ChannelsStore = StoreApi<ChannelsState>;

export function createChannelsStore(api: PostdeskApi): ChannelsStore {
  /**
   * Each channel's state as the event stream last told it. Main tells every change, whole; an
   * answer to a request may cross those events on its way (in the browser host they come by
   * another connection), so a channel the stream has spoken of keeps what it said: a list read
   * mid-sync but answered after the sync's last events would otherwise show "Syncing 0 of 2" for good.
   */
  const heard = new Map<string, HeardState>();
  const withHeard = (channel: ChannelView): ChannelView => ({ ...channel, ...heard.get(channel.id) });

  return createStore<ChannelsState>((set, get) => ({
    channels: [],
    async load() {
      const result = await api.channels.list();
      if (result.ok) set({ channels: result.value.map(withHeard) });
    },
    async check(id) {
      const result = await api.channels.check({ id });
      if (!result.ok) return;
      set({ channels: get().channels.map((c) => (c.id === id ? withHeard(result.value) : c)) });
    },
    heard(id, changed) {
      heard.set(id, changed);
      set({ channels: get().channels.map((c) => (c.id === id ? withHeard(c) : c)) });
    },
  }));
}

export const useChannels = hookFor((s) => s.channels);
