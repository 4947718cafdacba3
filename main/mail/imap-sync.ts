// One IMAP connection per channel: a first sync of the mailbox, then IDLE for new mail.
// Progress is saved after every message (by UID), so a dropped connection or a restart
// continues where it stopped; a UIDVALIDITY change reads the mailbox again, and the ingest's
// dedupe (raw bytes; Message-ID with the same sender and content) keeps every message stored
// once. A message the ingest cannot read is stored as it arrived, so the UID is saved and the
// sync moves past it; what still fails (the disk, the database, the network) is retried with a
// delay that doubles until a sync makes progress, not merely until a login succeeds: a message
// that fails every time must not make the channel fetch the rest of the mailbox every second.
import type { ImapFlow } from 'imapflow';
import type { ChannelState } from '../../preload/contract';
import type { ChannelConfig } from '../config/schema';
import type { SyncStateRepo } from '../store/sync-state-repo';
import { createImapClient, describeImapError } from './imap-client';
import type { Ingest, PreparedMessage } from './ingest';

export interface SyncDeps {
  ingest: Pick<Ingest, 'prepare' | 'commit'>;
  syncState: SyncStateRepo;
  setState(state: ChannelState): void;
  backoff?: { firstMs: number; maxMs: number };
  createClient?: (channel: ChannelConfig) => ImapFlow;
  /** Told the delay of every reconnect it schedules (tests follow the backoff with it). */
  onRetry?: (delayMs: number) => void;
}

/** A large message is streamed in chunks this size, so it is never held whole in memory. */
const DOWNLOAD_CHUNK = 4 * 1024 * 1024;
/** Messages up to this size are fetched whole, several per round trip. */
const SMALL_MESSAGE = 4 * 1024 * 1024;
/** At most this many bytes of small messages per FETCH (two batches are in memory at a time). */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Messages of a fetched batch prepared at the same time. */
const PREPARE_AHEAD = 3;
const IDLE_AFTER_MS = 100;
const DEFAULT_BACKOFF = { firstMs: 1000, maxMs: 60_000 };

export class ChannelSync {
  private client: ImapFlow | null = null;
  private stopped = false;
  /** Failed attempts since the last progress: the next delay is firstMs × 2^attempt. */
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private pending = false;
  private readonly backoff: { firstMs: number; maxMs: number };
  private readonly mailbox: string;

  constructor(
    private readonly channel: ChannelConfig,
    private readonly deps: SyncDeps,
  ) {
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.mailbox = channel.imap.mailbox;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** Reconnect at once instead of waiting out the backoff (the operator asked to check). */
  reconnectNow(): void {
    if (this.stopped || this.client) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      await client.logout().catch(() => client.close());
    }
    await this.syncing?.catch(() => {});
  }

  /** Resolves when no sync is running and none is pending (used by tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.syncing) await this.syncing.catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.deps.setState({ kind: 'connecting' });
    let client: ImapFlow;
    try {
      client = (this.deps.createClient ?? ((c) => createImapClient(c, { autoIdleDelay: IDLE_AFTER_MS })))(this.channel);
    } catch (error) {
      return this.fail(error);
    }
    client.on('error', () => {}); // surfaced through 'close' and failed commands
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      if (!this.stopped) this.fail(new Error('connection closed'));
    });
    client.on('exists', () => this.requestSync());
    try {
      await client.connect();
      await client.mailboxOpen(this.mailbox);
      if (this.stopped) return void client.close();
      this.client = client;
      this.requestSync();
    } catch (error) {
      client.close();
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.deps.setState({ kind: 'error', reason: describeImapError(error) });
    if (this.stopped) return;
    const delay = Math.min(this.backoff.firstMs * 2 ** this.attempt, this.backoff.maxMs);
    this.attempt++;
    this.deps.onRetry?.(delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  /** New mail while a sync runs is picked up by one more pass right after it. */
  private requestSync(): void {
    if (this.syncing) {
      this.pending = true;
      return;
    }
    this.syncing = (async () => {
      try {
        do {
          this.pending = false;
          await this.syncNew();
        } while (this.pending && this.client);
      } catch (error) {
        // The close handler reconnects; a failure on a live connection is reported and retried.
        const client = this.client;
        if (client) {
          this.client = null;
          client.close();
          this.fail(error);
        }
      } finally {
        this.syncing = null;
      }
    })();
  }

  private async syncNew(): Promise<void> {
    const client = this.client;
    if (!client || !client.mailbox) return;
    const { syncState, ingest, setState } = this.deps;
    const uidValidity = String(client.mailbox.uidValidity);
    const saved = syncState.get(this.channel.id, this.mailbox);
    const lastUid = saved.uidValidity !== null && saved.uidValidity !== uidValidity ? 0 : saved.lastUid;

    const found: MessageMeta[] = [];
    for await (const m of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true, internalDate: true }, { uid: true })) {
      // "n:*" always names the newest message, even one we already have.
      if (m.uid > lastUid) found.push({ uid: m.uid, size: m.size ?? 0, receivedAt: timeOf(m.internalDate) });
    }
    found.sort((a, b) => a.uid - b.uid);
    const batches = planBatches(found);

    let done = 0;
    // The next batch is on its way from the server while this one is parsed and stored.
    let next = batches[0] ? this.fetchBatch(client, batches[0]) : undefined;
    for (const [index, batch] of batches.entries()) {
      const sources = await next!;
      next = batches[index + 1] ? this.fetchBatch(client, batches[index + 1]!) : undefined;
      next?.catch(() => {}); // its failure surfaces when awaited
      // Several messages are written and parsed at once (their disk waits overlap); each is
      // committed, and its UID saved, strictly in mailbox order.
      const prepared = batch.map(() => null as Promise<PreparedMessage | null> | null);
      const start = (i: number) => {
        const message = batch[i];
        if (!message || prepared[i]) return;
        const source = sources?.get(message.uid);
        prepared[i] = (source ? Promise.resolve(source) : this.download(client, message.uid)).then((s) =>
          s ? ingest.prepare(this.channel.id, s) : null,
        );
        prepared[i]!.catch(() => {}); // awaited below, in order
      };
      for (let i = 0; i < batch.length; i++) {
        for (let ahead = i; ahead < i + (sources ? PREPARE_AHEAD : 1); ahead++) start(ahead);
        setState({ kind: 'syncing', done, total: found.length });
        const message = batch[i]!;
        const ready = await prepared[i]!;
        if (ready) ingest.commit(this.channel.id, ready, { imapUid: message.uid, receivedAt: message.receivedAt });
        this.saveProgress(uidValidity, message.uid);
        done++;
      }
    }
    if (found.length === 0) this.saveProgress(uidValidity, lastUid);
    setState({ kind: 'idle' });
  }

  /** A message is stored (or the mailbox is read to its end): the next failure starts the backoff afresh. */
  private saveProgress(uidValidity: string, lastUid: number): void {
    this.deps.syncState.save(this.channel.id, this.mailbox, { uidValidity, lastUid });
    this.attempt = 0;
  }

  /** Small messages come whole in one FETCH per batch; a large one (null here) is streamed on its own. */
  private async fetchBatch(client: ImapFlow, batch: MessageMeta[]): Promise<Map<number, Buffer> | null> {
    if (batch.length === 1 && batch[0]!.size > SMALL_MESSAGE) return null;
    const sources = new Map<number, Buffer>();
    const range = batch.map((m) => m.uid).join(',');
    for await (const m of client.fetch(range, { uid: true, source: true }, { uid: true })) {
      if (m.source) sources.set(m.uid, m.source);
    }
    return sources;
  }

  private async download(client: ImapFlow, uid: number): Promise<NodeJS.ReadableStream | undefined> {
    const download = await client.download(String(uid), undefined, { uid: true, chunkSize: DOWNLOAD_CHUNK });
    return download.content;
  }
}

interface MessageMeta {
  uid: number;
  size: number;
  receivedAt: number | undefined;
}

function timeOf(date: Date | string | undefined): number | undefined {
  const time = date === undefined ? NaN : new Date(date).getTime();
  return Number.isNaN(time) ? undefined : time;
}

/** Consecutive small messages share a batch up to BATCH_BYTES; a large message is a batch of its own. */
export function planBatches(messages: MessageMeta[]): MessageMeta[][] {
  const batches: MessageMeta[][] = [];
  let current: MessageMeta[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (m.size > SMALL_MESSAGE) {
      if (current.length) batches.push(current);
      batches.push([m]);
      current = [];
      bytes = 0;
      continue;
    }
    if (current.length && bytes + m.size > BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += m.size;
  }
  if (current.length) batches.push(current);
  return batches;
}
