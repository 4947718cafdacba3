import type { ChannelState, ChannelView } from '../../preload/contract';
import type { ChannelConfig } from '../config/schema';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { createImapClient, describeImapError } from './imap-client';

/** Knows each configured channel's connection state and tells the renderer when it changes. */
export class ChannelMonitor {
  private readonly states = new Map<string, ChannelState>();

  constructor(
    private readonly channels: readonly ChannelConfig[],
    private readonly events: EventBus,
  ) {
    for (const c of channels) this.states.set(c.id, { kind: 'unchecked' });
  }

  list(): ChannelView[] {
    return this.channels.map((c) => this.toView(c));
  }

  setState(id: string, state: ChannelState): void {
    this.states.set(id, state);
    this.events.emit('channels.state', { id, state });
  }

  /** Logs in to the channel's IMAP server and out again; the outcome becomes its state. */
  async check(id: string): Promise<ChannelView> {
    const channel = this.channelOf(id);
    this.setState(id, { kind: 'connecting' });
    try {
      const client = createImapClient(channel);
      client.on('error', () => {});
      await client.connect();
      await client.logout();
      this.setState(id, { kind: 'idle' });
    } catch (error) {
      this.setState(id, { kind: 'error', reason: describeImapError(error) });
    }
    return this.toView(channel);
  }

  view(id: string): ChannelView {
    return this.toView(this.channelOf(id));
  }

  private channelOf(id: string): ChannelConfig {
    const channel = this.channels.find((c) => c.id === id);
    if (!channel) throw new AppError('not_found', `There is no channel "${id}".`);
    return channel;
  }

  private toView(c: ChannelConfig): ChannelView {
    return { id: c.id, name: c.name, address: c.address, state: this.states.get(c.id)! };
  }
}
