// One IMAP connection to one folder of a channel, kept open: it connects (creating the folder
// when its owner asks), reconnects after any failure with a delay that doubles until the owner
// reports progress — not merely until a login succeeds, so a folder that fails every time is
// not read again every second — and tells the owner when the folder changes. The owner (the
// INBOX sync, the Sent watcher, the desks' folder) decides what to read and when.
import type { ImapFlow } from 'imapflow';
import type { ChannelState } from '../../common/domain/channel';
import type { ChannelConfig } from '../config/schema';
import { createImapClient, imapFailure } from './imap-client';

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export interface MailboxConnectionOptions {
  mailbox: string;
  /** Create the folder when it does not exist yet (the Sent and Postdesk folders; never the INBOX). */
  create?: boolean;
  /** 'connecting' and 'error' come from here; the owner reports the rest. */
  setState(state: ChannelState): void;
  backoff?: Backoff;
  createClient?: (channel: ChannelConfig) => ImapFlow;
  /** Told the delay of every reconnect it schedules (tests follow the backoff with it). */
  onRetry?: (delayMs: number) => void;
  /** The folder is open: the first time, and after every reconnect. */
  onOpen(client: ImapFlow): void;
  /** The server says the folder changed while it was open (new messages, flags, expunges). */
  onChange(kind: 'exists' | 'flags' | 'expunge'): void;
}

/** Quiet time before IDLE: Dovecot then pushes another desk's change within about half a second. */
export const IDLE_AFTER_MS = 100;
const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, maxMs: 60_000 };

export class MailboxConnection {
  private live: ImapFlow | null = null;
  private stopped = true;
  /** A connection is being made: "reconnect now" waits for it rather than opening a second one beside it. */
  private connecting = false;
  /** Failed attempts since the last progress: the next delay is firstMs × 2^attempt. */
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(
    private readonly channel: ChannelConfig,
    private readonly options: MailboxConnectionOptions,
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get mailbox(): string {
    return this.options.mailbox;
  }

  /** The connection with the folder open, or null while there is none. */
  get client(): ImapFlow | null {
    return this.live;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Reconnect at once instead of waiting out the backoff (the operator asked to check). */
  reconnectNow(): void {
    if (this.stopped || this.live || this.connecting) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    void this.connect();
  }

  /** The owner read something: the next failure starts the backoff afresh. */
  progress(): void {
    this.attempt = 0;
  }

  /** A command failed on the live connection: close it and try again after the backoff. */
  drop(error: unknown): void {
    const client = this.live;
    if (!client) return;
    this.live = null;
    client.close();
    this.fail(error);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.live;
    this.live = null;
    if (client) await client.logout().catch(() => client.close());
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.connecting = true;
    try {
      await this.attemptConnection();
    } finally {
      this.connecting = false;
    }
  }

  private async attemptConnection(): Promise<void> {
    this.options.setState({ kind: 'connecting' });
    let client: ImapFlow;
    try {
      client = (this.options.createClient ?? ((c) => createImapClient(c, { autoIdleDelay: IDLE_AFTER_MS })))(this.channel);
    } catch (error) {
      return this.fail(error);
    }
    client.on('error', () => {}); // surfaced through 'close' and failed commands
    client.on('close', () => {
      if (this.live !== client) return;
      this.live = null;
      if (!this.stopped) this.fail(new Error('connection closed'));
    });
    client.on('exists', () => this.live === client && this.options.onChange('exists'));
    client.on('flags', () => this.live === client && this.options.onChange('flags'));
    client.on('expunge', () => this.live === client && this.options.onChange('expunge'));
    try {
      await client.connect();
      await this.open(client);
      if (this.stopped) return void client.close();
      this.live = client;
      this.options.onOpen(client);
    } catch (error) {
      client.close();
      this.fail(error);
    }
  }

  private async open(client: ImapFlow): Promise<void> {
    const { mailbox, create } = this.options;
    try {
      await client.mailboxOpen(mailbox);
    } catch (error) {
      if (!create) throw error;
      await client.mailboxCreate(mailbox);
      await client.mailboxOpen(mailbox);
    }
  }

  private fail(error: unknown): void {
    this.options.setState({ kind: 'error', reason: imapFailure(error) });
    if (this.stopped) return;
    const delay = Math.min(this.backoff.firstMs * 2 ** this.attempt, this.backoff.maxMs);
    this.attempt++;
    this.options.onRetry?.(delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }
}
