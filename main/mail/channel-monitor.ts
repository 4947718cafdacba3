import type { ChannelState, ChannelView } from '../../preload/contract';
import type { ChannelConfig } from '../config/schema';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { createImapClient } from './imap-client';

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const response = (error as Error & { responseText?: string }).responseText;
    return response ? `${error.message}: ${response}` : error.message;
  }
  return String(error);
}

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
    return this.channels.map((c) => this.view(c));
  }

  setState(id: string, state: ChannelState): void {
    this.states.set(id, state);
    this.events.emit('channels.state', { id, state });
  }

  /** Logs in to the channel's IMAP server and out again; the outcome becomes its state. */
  async check(id: string): Promise<ChannelView> {
    const channel = this.channels.find((c) => c.id === id);
    if (!channel) throw new AppError('not_found', `There is no channel "${id}".`);
    this.setState(id, { kind: 'connecting' });
    try {
      const client = createImapClient(channel);
      client.on('error', () => {});
      await client.connect();
      await client.logout();
      this.setState(id, { kind: 'idle' });
    } catch (error) {
      this.setState(id, { kind: 'error', reason: reasonOf(error) });
    }
    return this.view(channel);
  }

  private view(c: ChannelConfig): ChannelView {
    return { id: c.id, name: c.name, address: c.address, state: this.states.get(c.id)! };
  }
}
