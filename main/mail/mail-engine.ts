// The mail core of the main process: one ChannelSync per configured channel feeding the
// store through Ingest, and the channel states the renderer sees.
import type { ImapFlow } from 'imapflow';
import type { ChannelView } from '../../common/domain/channel';
import type { ChannelConfig } from '../config/schema';
import type { SyncStateRepo } from '../store/sync-state-repo';
import type { ChannelMonitor } from './channel-monitor';
import { ChannelSync, type SyncDeps } from './imap-sync';

export class MailEngine {
  private readonly syncs = new Map<string, ChannelSync>();

  constructor(
    private readonly channels: readonly ChannelConfig[],
    private readonly deps: {
      ingest: SyncDeps['ingest'];
      syncState: SyncStateRepo;
      monitor: ChannelMonitor;
      /** Reconnect delays after a failure (doubling from firstMs up to maxMs until a sync makes progress). */
      backoff?: { firstMs: number; maxMs: number };
      onRetry?: SyncDeps['onRetry'];
      /** The team's keywords, read (and this desk's changes written) at the end of each pass. */
      flags?: SyncDeps['flags'];
      onNewUidValidity?: SyncDeps['onNewUidValidity'];
      /** The channel's INBOX is open (again). */
      onOpen?: (channelId: string, client: ImapFlow) => void;
    },
  ) {}

  start(): void {
    for (const channel of this.channels) {
      const sync = new ChannelSync(channel, {
        ingest: this.deps.ingest,
        syncState: this.deps.syncState,
        setState: (state) => this.deps.monitor.setState(channel.id, state),
        backoff: this.deps.backoff,
        onRetry: this.deps.onRetry,
        flags: this.deps.flags,
        onNewUidValidity: this.deps.onNewUidValidity,
        onOpen: (client) => this.deps.onOpen?.(channel.id, client),
      });
      this.syncs.set(channel.id, sync);
      sync.start();
    }
  }

  /** With sync running, "check" means reconnect now; without it, a login test. The SMTP server is tried either way. */
  async check(id: string): Promise<ChannelView> {
    const smtp = this.deps.monitor.checkSmtp(id);
    const sync = this.syncs.get(id);
    if (sync) sync.reconnectNow();
    else await this.deps.monitor.check(id);
    await smtp;
    return this.deps.monitor.view(id);
  }

  sync(id: string): ChannelSync | undefined {
    return this.syncs.get(id);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.syncs.values()].map((s) => s.stop()));
    this.syncs.clear();
  }
}
