// Postdesk's own services on a real SQLite file, syncing a channel from a real Dovecot, with what
// the tests watch for recorded. A test may read messages with another reader or put a wrapper
// around the ingest (a failure injected for one message): then the receiver runs its own mail
// engine over the same services, built the way main/services.ts builds it.
import type { Config } from '../../main/config/schema';
import { Ingest, type MessageReader } from '../../main/mail/ingest';
import { MailEngine } from '../../main/mail/mail-engine';
import type { SyncDeps } from '../../main/mail/imap-sync';
import { openServices, type Services } from '../../main/services';
import { SyncStateRepo } from '../../main/store/sync-state-repo';
import type { ChannelState, EventPayload } from '../../preload/contract';
import { transactionOf } from '../../main/store/unit-of-work';

export interface ReceiverOptions {
  backoff?: { firstMs: number; maxMs: number };
  /** How messages are read (default: the real parsers). */
  read?: MessageReader;
  readBudgetMs?: number;
  /** Wraps the ingest the sync feeds, e.g. to make one message fail. */
  wrapIngest?: (ingest: Ingest) => SyncDeps['ingest'];
  /** Every reconnect delay the sync schedules. */
  onRetry?: (delayMs: number) => void;
}

export class Receiver {
  services!: Services;
  readonly states: ChannelState[] = [];
  readonly received: number[] = [];
  private engine: MailEngine | null = null;

  constructor(
    readonly dataDir: string,
    readonly config: Config,
    private readonly options: ReceiverOptions = {},
  ) {}

  async start(): Promise<this> {
    const { backoff = { firstMs: 100, maxMs: 400 }, read, readBudgetMs, wrapIngest, onRetry } = this.options;
    this.services = await openServices({
      config: this.config,
      dataDir: this.dataDir,
      lang: 'en',
      version: 'test',
      startMail: false,
      syncBackoff: backoff,
      readBudgetMs,
    });
    this.services.events.subscribe((event, payload) => {
      if (event === 'mail.received') this.received.push((payload as EventPayload<'mail.received'>).messageId);
      if (event === 'channels.state') this.states.push((payload as EventPayload<'channels.state'>).state);
    });
    if (read || wrapIngest || onRetry) {
      const s = this.services;
      const ingest = read ? new Ingest({ ...s, transaction: transactionOf(s.db), channels: this.config.channels, read, readBudgetMs }) : s.ingest;
      this.engine = new MailEngine(this.config.channels, {
        ingest: wrapIngest ? wrapIngest(ingest) : ingest,
        syncState: new SyncStateRepo(s.db),
        monitor: s.channels,
        backoff,
        onRetry,
      });
      this.engine.start();
    } else {
      this.services.mail.start();
    }
    return this;
  }

  get db(): Services['db'] {
    return this.services.db;
  }
  get messages(): Services['messages'] {
    return this.services.messages;
  }
  get conversations(): Services['conversations'] {
    return this.services.conversations;
  }
  get blobs(): Services['blobs'] {
    return this.services.blobs;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out; states: ${JSON.stringify(this.states.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async idle(): Promise<void> {
    await this.waitFor(() => this.states.at(-1)?.kind === 'idle');
  }

  messageCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    await this.engine?.stop();
    await this.services.close();
  }
}
