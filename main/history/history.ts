// Reading a conversation's history: the pages the page scrolls through, each message as the
// history shows it (the config's "Download all" default added to what the store keeps).
import type { HistoryPage, MessageView } from '../../common/domain/message';
import type { ConversationService } from '../conversations/conversation-service';
import { AppError } from '../errors';
import type { SaveService } from '../files/save-service';
import type { Outbox } from '../mail/outbox';
import type { MessagesRepo, StoredMessageView } from '../store/messages-repo';

/** Messages per page of history: a screenful several times over. */
export const HISTORY_PAGE = 100;

export interface HistoryDeps {
  messages: Pick<MessagesRepo, 'get' | 'page'>;
  conversations: Pick<ConversationService, 'open'>;
  outbox: Pick<Outbox, 'retry'>;
  /** Where the config's default of "Download all files" by kind of message is read. */
  saving: Pick<SaveService, 'defaultMode'>;
}

export class History {
  constructor(private readonly deps: HistoryDeps) {}

  /** Marks the conversation read; its newest page, oldest first. */
  open(conversationId: number): HistoryPage {
    this.deps.conversations.open(conversationId);
    return this.page(conversationId);
  }

  /** The messages just before `before` (a message id), or the newest; oldest first. */
  page(conversationId: number, before?: number, limit = HISTORY_PAGE): HistoryPage {
    const { messages, hasOlder } = this.deps.messages.page(conversationId, { before, limit });
    return { messages: messages.map((m) => this.view(m)), hasOlder };
  }

  /** Sends a failed (or waiting) message again now; the message as the history shows it then. */
  retry(messageId: number): MessageView {
    this.deps.outbox.retry(messageId);
    const message = this.deps.messages.get(messageId);
    if (!message) throw new AppError('not_found', `There is no message ${messageId}.`);
    return this.view(message);
  }

  private view(message: StoredMessageView): MessageView {
    return { ...message, saveAllMode: this.deps.saving.defaultMode(message.kind) };
  }
}
