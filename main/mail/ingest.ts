// Turns one raw message from a channel's mailbox into stored history: the raw bytes kept as a
// blob (so the original .eml can always be saved), one message row with all its attachments,
// filed under the sender's client and conversation. Stores each message once, whatever is
// fetched twice (a reconnect mid-batch, a UIDVALIDITY change, a second delivery).
//
// No message stops its mailbox and none is dropped silently: every value is checked before it
// is bound to SQL (incoming-fields.ts), and a message that cannot be read in time, or whose row
// cannot be stored, is stored as it arrived with a problem saying so (unreadable-message.ts).
// Only a failure of the disk or of the database is thrown, because then nothing could be kept:
// the sync retries that message later.
//
// Over 300 lines: storing a message once, filing it, and storing it as it arrived when anything
// fails are one decision made inside one transaction; the reading (parse-*.ts), threading
// (reply-threading.ts) and dedupe keys (content-key.ts) live in their own files.
import { Readable } from 'node:stream';
import type { EventBus } from '../events';
import type { BlobStore, BlobWriter, DeferredBlobWriter, StoredBlob } from '../files/blob-store';
import type { ClientsRepo } from '../store/clients-repo';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { MessagesRepo, SameIdRow } from '../store/messages-repo';
import { contentKey } from './content-key';
import { checkDelivery, checkParsed, type CheckedMessage } from './incoming-fields';
import { quote } from './message-headers';
import { sameAddress } from './reply-threading';
import { readPlainMessage } from './read-plain';
import { parseMessage, type ParsedMessage } from './parse-message';
import { unreadableMessage } from './unreadable-message';
import type { Transaction } from '../store/unit-of-work';

/** A raw message for a reader: in memory when it was fetched whole, and in its file in the blob store. */
export interface RawMessage {
  bytes: Buffer | null;
  /** Its file; null when it is only a stream. */
  file: string | null;
  open(): NodeJS.ReadableStream;
}

/** Reads a raw message into its fields, storing attachments with `writer`; stops when `signal` aborts. */
export type MessageReader = (raw: RawMessage, writer: BlobWriter, signal: AbortSignal) => Promise<ParsedMessage>;

export interface IngestDeps {
  blobs: BlobStore;
  events: EventBus;
  clients: ClientsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  /** A batch is stored as one, with the sync's progress (unit-of-work.ts). */
  transaction: Transaction;
  /** The channels' own addresses: mail from one of them is ours, and may thread into any conversation. */
  channels: readonly { id: string; address: string }[];
  /** How a message is read; the default is the fast path, then mailparser. */
  read?: MessageReader;
  /** The fast path off this thread (scan-pool.ts); on this thread when absent. */
  plain?: PlainReader;
  /**
   * How long reading one message may take, plus a second per megabyte of it; a message that
   * takes longer is stored as it arrived, with a problem. Default one minute. The parsers yield
   * between chunks of the message, which is where the budget is noticed; a reader stuck in one
   * synchronous step could only be stopped in a worker thread.
   */
  readBudgetMs?: number;
}

export interface IngestOptions {
  imapUid?: number | null;
  /** When the server received it (IMAP INTERNALDATE); history is ordered by this, not by the sender's clock. */
  receivedAt?: number;
}

/** The very same bytes are stored already, as this row (a refetch after a UIDVALIDITY change, a second delivery). */
export interface StoredAlready {
  storedAs: number;
}

/** A prepared message and where it was found, for commitAll. */
export interface Filing {
  prepared: PreparedMessage | StoredAlready;
  options?: IngestOptions;
}

export interface PreparedMessage {
  rawKey: string;
  /** The first bytes of the raw message: what its header shows if the row cannot be stored. */
  head: Buffer;
  message: CheckedMessage;
  /** The message could not be read: `message` is the raw-only row already. */
  unreadable: boolean;
}

const DEFAULT_READ_BUDGET_MS = 60_000;
const BUDGET_PER_MEGABYTE_MS = 1000;
/** Enough of a message to find its From and Subject when it cannot be read. */
const HEAD_BYTES = 64 * 1024;

/** The fast path's reading of a raw message, in memory or in its file (read-plain.ts, or the scan worker). */
export type PlainReader = (source: Buffer | string, writer: BlobWriter) => Promise<ParsedMessage | null>;

/** A reader: `plain` for a plainly well-formed message (its files kept as ranges), else mailparser on the stream. */
export function messageReader(plain: PlainReader = readPlainMessage): MessageReader {
  return async (raw, writer, signal) => {
    const source = raw.bytes ?? raw.file;
    const fast = source === null ? null : await plain(source, writer);
    if (fast) return fast;
    const stream = raw.open();
    const stop = () => (stream as NodeJS.ReadableStream & { destroy(error: Error): void }).destroy(new Error('reading was stopped'));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    try {
      return await parseMessage(stream, writer);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  };
}

/** The default reader, all on this thread. */
export const readMessage: MessageReader = messageReader();

export class Ingest {
  private readonly read: MessageReader;
  private readonly readBudgetMs: number;

  constructor(private readonly deps: IngestDeps) {
    this.read = deps.read ?? (deps.plain ? messageReader(deps.plain) : readMessage);
    this.readBudgetMs = deps.readBudgetMs ?? DEFAULT_READ_BUDGET_MS;
  }

  /** Stores one message; resolves to its id, or null when it was already stored. */
  async ingest(channelId: string, source: NodeJS.ReadableStream | Buffer, options: IngestOptions = {}): Promise<number | null> {
    return this.commit(channelId, await this.prepare(channelId, source), options);
  }

  /**
   * The slow half, safe to run for several messages at once: raw bytes and attachments
   * written and made durable, the message read and checked. A message already in memory (a
   * small one, fetched whole) is read by the fast parser when it is plainly well-formed;
   * anything else is streamed through the full parser. Nothing is read when the very same
   * bytes are stored already. Throws only when the blob store fails.
   */
  async prepare(channelId: string, source: NodeJS.ReadableStream | Buffer, batch?: DeferredBlobWriter): Promise<PreparedMessage | StoredAlready> {
    const { blobs, messages } = this.deps;
    const writer = new WatchedWriter(batch ?? blobs.deferred());
    const bytes = Buffer.isBuffer(source) ? source : null;
    // A message in memory is read while its bytes are written (and thrown away if they are stored already).
    const early = bytes && this.settledRead(this.budgetFor(bytes.length), { bytes, file: null, open: () => Readable.from([bytes]) }, writer);
    const kept = bytes ? await writer.putBuffer(bytes) : await writer.put(source as NodeJS.ReadableStream);
    const storedAs = messages.idOfRaw(channelId, kept.key);
    if (storedAs !== undefined) return { storedAs };
    const head = bytes ? bytes.subarray(0, HEAD_BYTES) : await this.headOf(kept.key);
    const read = await (early ?? this.settledRead(this.budgetFor(kept.size), { bytes, file: blobs.pathOf(kept.key), open: () => blobs.open(kept.key) }, writer));
    let message: CheckedMessage;
    let unreadable = false;
    try {
      if ('error' in read) throw read.error;
      message = await checkParsed(read.parsed, (key) => blobs.size(key));
    } catch (error) {
      // A full disk is no fault of the message: it is tried again once the store works.
      if (writer.failure !== null) throw writer.failure;
      message = unreadableMessage(head, describe(error));
      unreadable = true;
    }
    // Every blob the new row points to is on disk before the row is: now, or at the batch's flush.
    if (!batch) await writer.flush();
    return { rawKey: kept.key, head, message, unreadable };
  }

  /** readWithin's outcome as a value, so a read started early never rejects unheard. */
  private settledRead(budgetMs: number, raw: RawMessage, writer: BlobWriter): Promise<{ parsed: ParsedMessage } | { error: unknown }> {
    return this.readWithin(budgetMs, raw, writer).then(
      (parsed) => ({ parsed }),
      (error: unknown) => ({ error }),
    );
  }

  /** For messages stored together (commitAll): their blobs reach the disk at one flush. */
  batchWriter(): DeferredBlobWriter {
    return this.deps.blobs.deferred();
  }

  /** The quick half for one message: see commitAll. */
  commit(channelId: string, prepared: PreparedMessage | StoredAlready, options: IngestOptions = {}): number | null {
    return this.commitAll(channelId, [{ prepared, options }])[0]!;
  }

  /**
   * The quick half, in mailbox order: one transaction for all, `within` run inside it (the sync
   * saves its last UID there), then the events. If a message's row cannot be stored, it is
   * stored as it arrived with a problem; only when that fails too (the database itself is
   * failing) is the error thrown, and nothing of the batch is stored. A message stored already
   * keeps its one row, which learns the UID it has now (the team's keywords are read by UID).
   */
  commitAll(channelId: string, items: readonly Filing[], within?: () => void): (number | null)[] {
    const { transaction, events } = this.deps;
    const stored = transaction(() => {
      const rows = items.map(({ prepared, options }) => this.storeOrNote(channelId, prepared, options ?? {}));
      within?.();
      return rows;
    });
    for (const row of stored) if (row) events.emit('mail.received', { channelId, direction: 'in', ...row });
    return stored.map((row) => row?.messageId ?? null);
  }

  private storeOrNote(channelId: string, prepared: PreparedMessage | StoredAlready, options: IngestOptions) {
    const { transaction } = this.deps;
    if ('storedAs' in prepared) {
      this.learnUid(prepared.storedAs, options);
      return null;
    }
    try {
      return transaction(() => this.store(channelId, prepared, options));
    } catch (error) {
      if (prepared.unreadable) throw error;
      const message = unreadableMessage(prepared.head, `its details could not be stored: ${describe(error)}`);
      return transaction(() => this.store(channelId, { ...prepared, message, unreadable: true }, options));
    }
  }

  private learnUid(storedAs: number, options: IngestOptions): void {
    if (options.imapUid) this.deps.messages.setImapUid(storedAs, options.imapUid);
  }

  private async headOf(rawKey: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.deps.blobs.open(rawKey, { end: HEAD_BYTES - 1 })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private budgetFor(size: number): number {
    return this.readBudgetMs + Math.floor(size / (1024 * 1024)) * BUDGET_PER_MEGABYTE_MS;
  }

  /** Reads the message, giving up after `budgetMs` (the reader is told to stop). */
  private async readWithin(budgetMs: number, raw: RawMessage, writer: BlobWriter): Promise<ParsedMessage> {
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stop.abort();
        reject(new Error(`reading it took longer than ${budgetMs < 1000 ? `${budgetMs} ms` : `${Math.round(budgetMs / 1000)} s`}`));
      }, budgetMs);
    });
    try {
      return await Promise.race([this.read(raw, writer, stop.signal), overtime]);
    } finally {
      clearTimeout(timer);
    }
  }

  private store(channelId: string, prepared: PreparedMessage, options: IngestOptions) {
    const { conversations, messages } = this.deps;
    const { message } = prepared;
    // Again inside the transaction: a copy prepared alongside may have been stored meanwhile.
    const sameId = message.messageId === null ? [] : messages.withMessageId(channelId, message.messageId);
    const mine = new ContentKeyOf(this.deps.blobs, prepared.rawKey);
    const storedAs = messages.idOfRaw(channelId, prepared.rawKey) ?? sameId.find((row) => this.isSameMessage(row, message, mine))?.id;
    if (storedAs !== undefined) {
      this.learnUid(storedAs, options);
      return null;
    }
    const problems = [...message.problems];
    if (sameId.length > 0) problems.push(`another message with the same Message-ID ${quote(message.messageId!)} was stored before; both are kept`);
    const delivery = checkDelivery({ imapUid: options.imapUid ?? null, createdAt: options.receivedAt ?? Date.now() }, problems);
    const conversationId = this.conversationFor(channelId, message, delivery.createdAt, problems);
    const messageId = messages.insertIncoming({
      ...message,
      ...delivery,
      conversationId,
      contentHash: mine.known,
      rawBlobKey: prepared.rawKey,
      problems,
    });
    conversations.recordIncoming(conversationId, delivery.createdAt);
    return { conversationId, messageId };
  }

  /**
   * Is a stored message that shares this one's Message-ID the same message? A Message-ID alone
   * proves nothing: anyone can write any, and old mailers and newsletters reuse them. So the
   * sender must match (case-insensitive) and so must the content: the bytes below the trace
   * fields (content-key.ts) of an incoming one; the subject of our own outgoing one coming back
   * to the channel's address (we made its Message-ID, and keep no raw copy of what we sent).
   */
  private isSameMessage(row: SameIdRow, message: CheckedMessage, mine: ContentKeyOf): boolean {
    if (!sameAddress(message.fromAddress, row.fromAddress)) return false;
    if (row.direction === 'out') return row.subject === message.subject;
    if (row.rawBlobKey === null) return false;
    let theirs = row.contentHash;
    if (theirs === null) {
      theirs = new ContentKeyOf(this.deps.blobs, row.rawBlobKey).value;
      if (theirs !== null) this.deps.messages.setContentHash(row.id, theirs);
    }
    return theirs !== null && theirs === mine.value;
  }

  /**
   * In-Reply-To/References file a message into the conversation they name only when it comes
   * from that conversation's client (the same address, any case) or from our own channel
   * address (our answer, or another desk's). Anyone else's message goes to its sender's own
   * conversation: a stranger who learned a Message-ID of a client's mail must not be able to
   * write into that client's history (or move it to the top, unread).
   */
  private conversationFor(channelId: string, message: CheckedMessage, receivedAt: number, problems: string[]): number {
    const { clients, conversations, messages } = this.deps;
    const ours = sameAddress(message.fromAddress, this.deps.channels.find((c) => c.id === channelId)?.address);
    const threadIds = [message.inReplyTo, ...message.references].filter((id): id is string => id !== null);
    const named = messages.conversationsOfReferences(channelId, threadIds);
    const thread = named.find((c) => ours || sameAddress(message.fromAddress, c.clientEmail));
    if (thread) return thread.id;
    const client = message.fromAddress
      ? clients.findOrCreateByEmail(message.fromAddress, message.fromName ?? '')
      : clients.findOrCreateUnknownSender();
    if (named.length > 0) {
      problems.push('it answers a message in another client’s conversation (In-Reply-To/References) but is not from that client, so it was filed under its own sender');
    }
    return conversations.ensure(client.id, channelId, receivedAt);
  }
}

/** A stored message's content key, computed the first time it is asked for; null when its bytes cannot be read. */
class ContentKeyOf {
  private computed: string | null | undefined;

  constructor(
    private readonly blobs: BlobStore,
    private readonly rawKey: string,
  ) {}

  get value(): string | null {
    if (this.computed === undefined) {
      try {
        this.computed = contentKey(this.blobs.pathOf(this.rawKey));
      } catch {
        this.computed = null;
      }
    }
    return this.computed;
  }

  /** The key if it has been computed, for the row to keep. */
  get known(): string | null {
    return this.computed ?? null;
  }
}

/**
 * The deferred writer of one message, remembering whether the blob store itself failed: then
 * a reading error is the disk's fault, not the message's.
 */
class WatchedWriter implements BlobWriter {
  failure: unknown = null;

  constructor(private readonly writer: DeferredBlobWriter) {}

  put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    return this.watch(this.writer.put(source));
  }

  putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    return this.watch(this.writer.putBuffer(bytes));
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private async watch(writing: Promise<StoredBlob>): Promise<StoredBlob> {
    try {
      return await writing;
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
