// Turns one raw message from a channel's mailbox into stored history: the raw bytes kept as a
// blob (so the original .eml can always be saved), one message row with all its attachments,
// filed under the sender's client and conversation. Stores each message once, whatever is
// fetched twice (a reconnect mid-batch, a UIDVALIDITY change).
import type { EventBus } from '../events';
import type { BlobStore } from '../files/blob-store';
import type { ClientsRepo } from '../store/clients-repo';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { MessagesRepo } from '../store/messages-repo';
import { parseMessageFast } from './parse-fast';
import { parseMessage, type ParsedMessage } from './parse-message';

export interface IngestDeps {
  blobs: BlobStore;
  events: EventBus;
  clients: ClientsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
}

export interface IngestOptions {
  imapUid?: number | null;
  /** When the server received it (IMAP INTERNALDATE); history is ordered by this, not by the sender's clock. */
  receivedAt?: number;
}

export interface PreparedMessage {
  parsed: ParsedMessage;
  rawKey: string;
}

export class Ingest {
  constructor(private readonly deps: IngestDeps) {}

  /** Stores one message; resolves to its id, or null when it was already stored. */
  async ingest(channelId: string, source: NodeJS.ReadableStream | Buffer, options: IngestOptions = {}): Promise<number | null> {
    const prepared = await this.prepare(channelId, source);
    return prepared ? this.commit(channelId, prepared, options) : null;
  }

  /**
   * The slow half, safe to run for several messages at once: raw bytes and attachments
   * written and made durable, the message parsed. A message already in memory (a small one,
   * fetched whole) takes the fast parser when it is plainly well-formed; anything else is
   * streamed through the full parser. Null when the message is already stored.
   */
  async prepare(channelId: string, source: NodeJS.ReadableStream | Buffer): Promise<PreparedMessage | null> {
    const { blobs, messages } = this.deps;
    const writer = blobs.deferred();
    const raw = Buffer.isBuffer(source) ? await writer.putBuffer(source) : await writer.put(source);
    if (messages.isKnown(channelId, null, raw.key)) return null;
    const parsed =
      (Buffer.isBuffer(source) ? await parseMessageFast(source, writer) : null) ??
      (await parseMessage(blobs.open(raw.key), writer));
    // Every blob the new row points to is on disk before the row is.
    await writer.flush();
    return { parsed, rawKey: raw.key };
  }

  /** The quick half, in mailbox order: one transaction, then the event. */
  commit(channelId: string, { parsed, rawKey }: PreparedMessage, options: IngestOptions = {}): number | null {
    if (this.deps.messages.isKnown(channelId, parsed.messageId, rawKey)) return null;
    const stored = this.store(channelId, parsed, rawKey, options);
    this.deps.events.emit('mail.received', { channelId, ...stored });
    return stored.messageId;
  }

  private store(channelId: string, parsed: ParsedMessage, rawKey: string, options: IngestOptions) {
    const { clients, conversations, messages } = this.deps;
    const receivedAt = options.receivedAt ?? Date.now();
    return messages.transaction(() => {
      const client = parsed.from?.address
        ? clients.findOrCreateByEmail(parsed.from.address, parsed.from.name)
        : clients.findOrCreateUnknownSender();
      const threadIds = [parsed.inReplyTo, ...parsed.references].filter((id): id is string => id !== null);
      const conversationId =
        messages.conversationOfReferences(channelId, threadIds) ?? conversations.ensure(client.id, channelId, receivedAt);
      const messageId = messages.insertIncoming({
        conversationId,
        fromAddress: parsed.from?.address ?? null,
        fromName: parsed.from?.name || null,
        toAddress: parsed.to[0] ?? null,
        replyTo: parsed.replyTo,
        subject: parsed.subject,
        text: parsed.text,
        html: parsed.html,
        bodyTruncated: parsed.bodyTruncated,
        messageId: parsed.messageId,
        inReplyTo: parsed.inReplyTo,
        references: parsed.references,
        contentHash: rawKey,
        rawBlobKey: rawKey,
        problems: parsed.problems,
        imapUid: options.imapUid ?? null,
        createdAt: receivedAt,
        attachments: parsed.attachments,
      });
      conversations.recordIncoming(conversationId, receivedAt);
      return { conversationId, messageId };
    });
  }
}
