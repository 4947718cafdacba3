import { create } from 'zustand';
import type { ApiError, ChannelView } from '../../preload/contract';
import { api } from '../api';

interface ChannelsState {
  channels: ChannelView[];
  error: ApiError | null;
  load(): Promise<void>;
  check(id: string): Promise<void>;
}

export const useChannels = create<ChannelsState>((set, get) => ({
  channels: [],
  error: null,
  async load() {
    const result = await api.channels.list();
    set(result.ok ? { channels: result.value, error: null } : { error: result.error });
  },
  async check(id) {
    const result = await api.channels.check({ id });
    if (!result.ok) return set({ error: result.error });
    set({ channels: get().channels.map((c) => (c.id === id ? result.value : c)) });
  },
}));

// Main pushes state changes (connecting, syncing, errors) as they happen.
api.on('channels.state', ({ id, ...changed }) => {
  useChannels.setState((s) => ({ channels: s.channels.map((c) => (c.id === id ? { ...c, ...changed } : c)) }));
});
