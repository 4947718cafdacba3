// One IMAP connection per channel: a first sync of the mailbox, then IDLE for new mail.
// Progress is saved with every batch of stored messages (by UID, in the same transaction), so a
// dropped connection or a restart continues where it stopped; a UIDVALIDITY change reads the mailbox again, and the ingest's
// dedupe (raw bytes; Message-ID with the same sender and content) keeps every message stored
// once. A message the ingest cannot read is stored as it arrived, so the UID is saved and the
// sync moves past it; what still fails (the disk, the database, the network) is retried with a
// delay that doubles until a sync makes progress (mailbox-connection.ts). The same sync reads the
// channel's Sent folder for the team, with another filer (main/team/).
import type { ImapFlow } from 'imapflow';
import type { ChannelState } from '../../common/domain/channel';
import type { ChannelConfig } from '../config/schema';
import type { SyncStateRepo } from '../store/sync-state-repo';
import type { Ingest } from './ingest';
import { MailboxConnection, type Backoff } from './mailbox-connection';
import { fetchEach, listingRanges } from './uid-ranges';

/** Where a folder's messages go: the INBOX's to the ingest; the Sent folder's to the team's filing of answers. */
export type MessageFiler = Pick<Ingest, 'prepare' | 'commitAll' | 'batchWriter'> & {
  /** Messages whose Message-ID says they are here already are not even downloaded (the Sent folder: this desk's own answers). */
  knows?(channelId: string, messageIdField: string): boolean;
};

/** Reads what changed in the folder's flags once its new messages are stored (the team's keywords). */
export interface FlagFollower {
  follow(client: ImapFlow, folder: { channelId: string; mailbox: string }): Promise<void>;
}

export interface SyncDeps {
  ingest: MessageFiler;
  syncState: SyncStateRepo;
  setState(state: ChannelState): void;
  backoff?: Backoff;
  createClient?: (channel: ChannelConfig) => ImapFlow;
  /** Told the delay of every reconnect it schedules (tests follow the backoff with it). */
  onRetry?: (delayMs: number) => void;
  /** The folder to read; the channel's own mailbox (the INBOX) by default. */
  mailbox?: string;
  /** Create the folder when it is missing (the Sent folder; never the INBOX). */
  create?: boolean;
  flags?: FlagFollower;
  /** The folder's UIDVALIDITY changed: every UID known of it is void (they are learnt again as messages are read). */
  onNewUidValidity?: (folder: { channelId: string; mailbox: string }) => void;
  /** Every time the folder is open again (first time, and after each reconnect). */
  onOpen?: (client: ImapFlow) => void;
}

/** A large message is streamed in chunks this size, so it is never held whole in memory. */
const DOWNLOAD_CHUNK = 1024 * 1024;
/** Messages up to this size are fetched whole, several per round trip. */
const SMALL_MESSAGE = 4 * 1024 * 1024;
/** At most this many bytes of small messages per FETCH (two batches are in memory at a time). */
const BATCH_BYTES = 4 * 1024 * 1024;
/** Messages of a fetched batch read and written at the same time. */
const PREPARE_AHEAD = 3;

export class ChannelSync {
  private readonly connection: MailboxConnection;
  private syncing: Promise<void> | null = null;
  private pending = false;
  private readonly mailbox: string;

  constructor(
    private readonly channel: ChannelConfig,
    private readonly deps: SyncDeps,
  ) {
    this.mailbox = deps.mailbox ?? channel.imap.mailbox;
    this.connection = new MailboxConnection(channel, {
      mailbox: this.mailbox,
      create: deps.create,
      setState: deps.setState,
      backoff: deps.backoff,
      createClient: deps.createClient,
      onRetry: deps.onRetry,
      onOpen: (client) => {
        deps.onOpen?.(client);
        this.requestSync();
      },
      // New mail, and (for the team's keywords) changed flags, start a pass.
      onChange: (kind) => kind !== 'expunge' && this.requestSync(),
    });
  }

  /** The live connection with the folder open, for commands of the team (keywords); null while there is none. */
  get client(): ImapFlow | null {
    return this.connection.client;
  }

  start(): void {
    this.connection.start();
  }

  /** Reconnect at once instead of waiting out the backoff (the operator asked to check). */
  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  async stop(): Promise<void> {
    await this.connection.stop();
    await this.syncing?.catch(() => {});
  }

  /** Resolves when no sync is running and none is pending (used by tests and benchmarks). */
  async settled(): Promise<void> {
    while (this.syncing) await this.syncing.catch(() => {});
  }

  /** Another pass soon (new mail while a pass runs is picked up by one more pass right after it). */
  requestSync(): void {
    if (this.syncing) {
      this.pending = true;
      return;
    }
    this.syncing = (async () => {
      try {
        do {
          this.pending = false;
          await this.syncNew();
        } while (this.pending && this.connection.client);
      } catch (error) {
        // A failure on a live connection is reported and retried; a closed one reconnects by itself.
        this.connection.drop(error);
      } finally {
        this.syncing = null;
      }
    })();
  }

  private async syncNew(): Promise<void> {
    const client = this.connection.client;
    if (!client || !client.mailbox) return;
    const { syncState, ingest, setState } = this.deps;
    const folder = { channelId: this.channel.id, mailbox: this.mailbox };
    const uidValidity = String(client.mailbox.uidValidity);
    const saved = syncState.get(this.channel.id, this.mailbox);
    const newValidity = saved.uidValidity !== null && saved.uidValidity !== uidValidity;
    if (newValidity) {
      this.deps.onNewUidValidity?.(folder);
      syncState.save(this.channel.id, this.mailbox, { uidValidity, lastUid: 0 });
    }
    const lastUid = newValidity ? 0 : saved.lastUid;

    const found: MessageMeta[] = [];
    const knows = ingest.knows?.bind(ingest);
    const query = { uid: true, size: true, internalDate: true, ...(knows ? { headers: ['message-id'] } : {}) };
    let known = 0;
    for await (const m of fetchEach(client, listingRanges(lastUid, client.mailbox.uidNext), query, { uid: true })) {
      // "n:*" always names the newest message, even one we already have.
      if (m.uid <= lastUid) continue;
      if (knows && m.headers && knows(this.channel.id, m.headers.toString('latin1'))) known = Math.max(known, m.uid);
      else found.push({ uid: m.uid, size: m.size ?? 0, receivedAt: timeOf(m.internalDate) });
    }
    found.sort((a, b) => a.uid - b.uid);
    const batches = planBatches(found);

    let done = 0;
    // The next batch is on its way from the server while this one is read and stored.
    let next = batches[0] ? this.fetchBatch(client, batches[0]) : undefined;
    // The batch before this one, being made durable and committed while this one is read.
    let committing: Promise<void> = Promise.resolve();
    let commitFailed = false;
    for (const [index, batch] of batches.entries()) {
      if (commitFailed) break;
      const sources = await next!;
      next = batches[index + 1] ? this.fetchBatch(client, batches[index + 1]!) : undefined;
      next?.catch(() => {}); // its failure surfaces when awaited
      // Group commit: the batch's messages are read and written (several at once, so their disk
      // waits overlap), made durable by one round of fsyncs, then stored in one transaction
      // with the batch's last UID, after the batch before it. A crash before the commit leaves
      // only blobs nothing points to (swept later), and the batch is fetched again.
      const writer = ingest.batchWriter();
      const ready = await inOrder(batch, sources ? PREPARE_AHEAD : 1, async (message) => {
        const source = sources?.get(message.uid) ?? (await this.download(client, message.uid));
        const prepared = source ? await ingest.prepare(this.channel.id, source, writer) : null;
        setState({ kind: 'syncing', done: ++done, total: found.length });
        return prepared && { prepared, options: { imapUid: message.uid, receivedAt: message.receivedAt } };
      });
      const lastUid = batch.at(-1)!.uid;
      committing = committing.then(async () => {
        await writer.flush();
        ingest.commitAll(
          this.channel.id,
          ready.filter((r) => r !== null),
          () => this.saveProgress(uidValidity, lastUid),
        );
      });
      // A commit that failed stops the pass before more is read; its error is thrown below.
      committing.catch(() => (commitFailed = true));
    }
    await committing;
    if (found.length === 0 || known > (found.at(-1)?.uid ?? 0)) this.saveProgress(uidValidity, Math.max(lastUid, known, found.at(-1)?.uid ?? 0));
    await this.deps.flags?.follow(client, folder);
    setState({ kind: 'idle' });
  }

  /** A message is stored (or the mailbox is read to its end): the next failure starts the backoff afresh. */
  private saveProgress(uidValidity: string, lastUid: number): void {
    this.deps.syncState.save(this.channel.id, this.mailbox, { uidValidity, lastUid });
    this.connection.progress();
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

/** `work` on every item, at most `parallel` at a time, started in order; the results in order. */
async function inOrder<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: Promise<R>[] = [];
  for (const [i, item] of items.entries()) {
    if (i >= parallel) await results[i - parallel]!.catch(() => {});
    results.push(work(item));
    results[i]!.catch(() => {}); // awaited below
  }
  return Promise.all(results);
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
