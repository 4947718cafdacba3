// The team's connections of each channel, beside the INBOX sync (mail-engine.ts): the Sent
// folder in IDLE, read by the same sync as the INBOX and filed as answers (answer-filing.ts),
// and the desks' folder with the heartbeats (desk-board.ts). IDLE watches one folder per
// connection, so a desk holds three per channel (mind Dovecot's mail_max_userip_connections,
// 10 per user and IP, when several desks share one machine).
import type { ImapFlow } from 'imapflow';
import type { ChannelConfig } from '../config/schema';
import { ChannelSync, type MessageFiler } from '../mail/imap-sync';
import type { ChannelMonitor } from '../mail/channel-monitor';
import type { Backoff } from '../mail/mailbox-connection';
import type { SyncStateRepo } from '../store/sync-state-repo';
import { DeskBoard } from './desk-board';

export interface TeamEngineDeps {
  filing: MessageFiler;
  syncState: SyncStateRepo;
  monitor: ChannelMonitor;
  deskId: string;
  operator: string;
  heartbeatMs: number;
  staleMs: number;
  /** Each channel's desk slot as this desk held it last (kept over restarts). */
  slots: { saved(channelId: string): number | null; save(channelId: string, slot: number): void };
  backoff?: Backoff;
  /** The desks' heartbeats of the channel changed, or time passed. */
  onDesksChange(channelId: string): void;
  /** The channel's Sent folder is open (again): waiting copies can go. */
  onSentOpen(channelId: string): void;
}

export class TeamEngine {
  private readonly sent = new Map<string, { sync: ChannelSync; mailbox: string }>();
  private readonly boards = new Map<string, DeskBoard>();

  constructor(
    private readonly channels: readonly ChannelConfig[],
    private readonly deps: TeamEngineDeps,
  ) {}

  start(): void {
    const { monitor } = this.deps;
    for (const channel of this.channels) {
      const board = new DeskBoard(channel, {
        deskId: this.deps.deskId,
        operator: this.deps.operator,
        heartbeatMs: this.deps.heartbeatMs,
        staleMs: this.deps.staleMs,
        slot: { saved: this.deps.slots.saved(channel.id), save: (slot) => this.deps.slots.save(channel.id, slot) },
        backoff: this.deps.backoff,
        setState: (state) => monitor.setTeamState(channel.id, 'desks', state),
        onChange: () => this.deps.onDesksChange(channel.id),
      });
      this.boards.set(channel.id, board);
      board.start();
      if (channel.sentMailbox === undefined) continue;
      const sync = new ChannelSync(channel, {
        mailbox: channel.sentMailbox,
        create: true,
        ingest: this.deps.filing,
        syncState: this.deps.syncState,
        backoff: this.deps.backoff,
        setState: (state) => monitor.setTeamState(channel.id, 'sent', state),
        onOpen: () => this.deps.onSentOpen(channel.id),
      });
      this.sent.set(channel.id, { sync, mailbox: channel.sentMailbox });
      sync.start();
    }
  }

  board(channelId: string): DeskBoard | undefined {
    return this.boards.get(channelId);
  }

  /** The channel's Sent folder, open; null while it is not (or there is none). */
  sentFolder(channelId: string): { client: ImapFlow; mailbox: string } | null {
    const sent = this.sent.get(channelId);
    const client = sent?.sync.client;
    return sent && client ? { client, mailbox: sent.mailbox } : null;
  }

  /** The Sent folder's sync, for tests and benchmarks that wait for it to settle. */
  sentSync(channelId: string): ChannelSync | undefined {
    return this.sent.get(channelId)?.sync;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.boards.values()].map((b) => b.stop()));
    await Promise.all([...this.sent.values()].map((s) => s.sync.stop()));
    this.boards.clear();
    this.sent.clear();
  }
}
