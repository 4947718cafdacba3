// Every desk sees every answer: what the channel's Sent folder holds is filed into the history
// as sent mail — a reply into the conversation its In-Reply-To/References name, a new message
// under the client its To names (created if this desk never met them). A message already here
// (this desk sent it, or another copy of it was filed: a server that files its own Sent copy
// besides ours) is recognised by its Message-ID and never shown twice. The folder is read by
// the same sync as the INBOX (imap-sync.ts), with this filer in place of the ingest.
import { settleAfterOutgoing } from '../conversations/after-outgoing';
import type { EventBus } from '../events';
import type { DeferredBlobWriter } from '../files/blob-store';
import type { Filing, Ingest, IngestOptions, PreparedMessage, StoredAlready } from '../mail/ingest';
import type { MessageFiler } from '../mail/imap-sync';
import { fieldText } from '../mail/message-headers';
import { addresses } from '../mail/reply-threading';
import type { ClientsRepo } from '../store/clients-repo';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { MessagesRepo } from '../store/messages-repo';
import { readSender } from './team-headers';
import { splitQuote } from '../compose/quote';
import type { Transaction } from '../store/unit-of-work';

export interface AnswerFilingDeps {
  ingest: Pick<Ingest, 'prepare' | 'batchWriter'>;
  messages: MessagesRepo;
  transaction: Transaction;
  clients: Pick<ClientsRepo, 'findOrCreateByEmail' | 'findOrCreateUnknownSender'>;
  conversations: Pick<ConversationsRepo, 'ensure' | 'recordOutgoing' | 'setStatus' | 'waitingMail'>;
  events: EventBus;
}

export class AnswerFiling implements MessageFiler {
  constructor(private readonly deps: AnswerFilingDeps) {}

  /** An answer whose Message-ID is stored as sent already: this desk's own, or one filed before. */
  knows(channelId: string, messageIdField: string): boolean {
    const messageId = /<[^<>\s]+>/.exec(messageIdField)?.[0];
    return messageId !== undefined && this.deps.messages.withMessageId(channelId, messageId).some((row) => row.direction === 'out');
  }

  /** The raw copy kept and read as any message is (attachments as ranges of it, problems noted). */
  prepare(channelId: string, source: NodeJS.ReadableStream | Buffer, batch?: DeferredBlobWriter): Promise<PreparedMessage | StoredAlready> {
    return this.deps.ingest.prepare(channelId, source, batch);
  }

  batchWriter(): DeferredBlobWriter {
    return this.deps.ingest.batchWriter();
  }

  /** Files the answers in one transaction, `within` run inside it; then the events. */
  commitAll(channelId: string, items: readonly Filing[], within?: () => void): (number | null)[] {
    const { transaction, events } = this.deps;
    const filed = transaction(() => {
      const rows = items.map(({ prepared, options }) => ('storedAs' in prepared ? null : this.file(channelId, prepared, options ?? {})));
      within?.();
      return rows;
    });
    for (const row of filed) if (row) events.emit('mail.received', { channelId, direction: 'out', ...row });
    return filed.map((row) => row?.messageId ?? null);
  }

  private file(channelId: string, prepared: PreparedMessage, options: IngestOptions): { conversationId: number; messageId: number } | null {
    const { messages, clients, conversations } = this.deps;
    const { message, head } = prepared;
    if (message.messageId !== null && messages.withMessageId(channelId, message.messageId).some((row) => row.direction === 'out')) return null;
    const sender = readSender(head);
    const createdAt = options.receivedAt ?? Date.now();
    const named = messages.conversationsOfReferences(channelId, [message.inReplyTo, ...message.references].filter((id): id is string => id !== null));
    const to = fieldText(head, 'to');
    const toAddress = message.toAddress ?? (to ? (addresses(to)[0] ?? null) : null);
    const problems = [...message.problems];
    let conversationId = named[0]?.id;
    const kind = conversationId === undefined ? 'new' : 'reply';
    if (conversationId === undefined) {
      // No recipient to file it under: kept all the same, like mail without a From.
      if (!toAddress) problems.push('it names no recipient (To), so it was filed under an unknown client');
      const client = toAddress ? clients.findOrCreateByEmail(toAddress, toName(to, toAddress)) : clients.findOrCreateUnknownSender();
      conversationId = conversations.ensure(client.id, channelId, createdAt);
      // As on the desk that sent it: Completed until the client answers, unless their mail waits.
      settleAfterOutgoing(conversations, conversationId);
    }
    const messageId = messages.insertFiledAnswer({
      conversationId,
      kind,
      fromAddress: message.fromAddress,
      fromName: message.fromName,
      toAddress,
      bcc: [],
      subject: message.subject,
      // Its quote of the client's message is folded away, as on the desk that sent it.
      ...(message.text === null ? { text: null } : splitQuote(message.text)),
      html: message.html,
      messageId: message.messageId,
      inReplyTo: message.inReplyTo,
      references: message.references,
      attachments: message.attachments,
      operatorName: sender.operator,
      operatorDesk: sender.deskId,
      rawBlobKey: prepared.rawKey,
      problems,
      bodyTruncated: message.bodyTruncated === true,
      createdAt,
    });
    conversations.recordOutgoing(conversationId, createdAt);
    return { conversationId, messageId };
  }
}

/** The display name the To field gives the address, else the address. */
function toName(to: string | null, address: string): string {
  const match = to ? /^\s*"?([^"<]*?)"?\s*<([^>]+)>/.exec(to) : null;
  return match && match[2]!.trim().toLowerCase() === address.toLowerCase() && match[1]!.trim() ? match[1]!.trim() : address;
}
