import { create } from 'zustand';
import type { ChannelView, EventPayload } from '../../preload/contract';
import { api } from '../api';

interface ChannelsState {
  channels: ChannelView[];
  load(): Promise<void>;
  check(id: string): Promise<void>;
}

type HeardState = Omit<EventPayload<'channels.state'>, 'id'>;

/**
 * Each channel's state as the event stream last told it. Main tells every change, whole; an
 * answer to a request may cross those events on its way (in the browser host they come by
 * another connection), so a channel the stream has spoken of keeps what it said: a list read
 * mid-sync but answered after the sync's last events would otherwise show "Syncing 0 of 2" for good.
 */
const heard = new Map<string, HeardState>();
const withHeard = (channel: ChannelView): ChannelView => ({ ...channel, ...heard.get(channel.id) });

export const useChannels = create<ChannelsState>((set, get) => ({
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
}));

// Main pushes state changes (connecting, syncing, errors) as they happen.
api.on('channels.state', ({ id, ...changed }) => {
  heard.set(id, changed);
  useChannels.setState((s) => ({ channels: s.channels.map((c) => (c.id === id ? withHeard(c) : c)) }));
});
