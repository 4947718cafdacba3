// The conversation list and its verbs: what the history shows of each conversation (with another
// operator's claim on it), and Complete / re-open / Take over, which the team shares.
import type { ConversationStatus, ConversationSummary } from '../../common/domain/conversation';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { Claims } from '../team/claims';
import type { InboxMarks } from '../team/inbox-marks';

export interface ConversationServiceDeps {
  conversations: ConversationsRepo;
  marks: Pick<InboxMarks, 'set'>;
  claims: Pick<Claims, 'otherClaim' | 'takeOver'>;
  events: EventBus;
}

export class ConversationService {
  private unread: number;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.unread = deps.conversations.activeUnreadCount();
    // Mail arrives, other desks move conversations: the count may change with any of these.
    deps.events.subscribe((event) => {
      if (event === 'mail.received' || event === 'conversations.changed') this.countUnread();
    });
  }

  /** Active conversations with unread mail. */
  unreadCount(): number {
    return this.unread;
  }

  list(status: ConversationStatus): ConversationSummary[] {
    return this.deps.conversations.list(status).map((c) => ({ ...c, replying: this.deps.claims.otherClaim(c.id) }));
  }

  summary(id: number): ConversationSummary {
    const summary = this.deps.conversations.summary(id);
    if (!summary) throw new AppError('not_found', `There is no conversation ${id}.`);
    return { ...summary, replying: this.deps.claims.otherClaim(id) };
  }

  /** Where choosing a client in the search leads: their conversation on the channel used last; null when they have none yet. */
  latestOfClient(clientId: number): ConversationSummary | null {
    const id = this.deps.conversations.latestOfClient(clientId);
    return id === undefined ? null : this.summary(id);
  }

  /** Opening marks it read here (read is this desk's own: the team shares answers, not who looked). */
  open(id: number): void {
    this.summary(id);
    this.deps.conversations.markRead(id);
    this.countUnread();
  }

  setStatus(id: number, status: ConversationStatus): ConversationSummary {
    this.summary(id);
    this.deps.marks.set(id, status);
    this.countUnread();
    return this.summary(id);
  }

  /** Tells the page (and the dock) when the count changed. */
  private countUnread(): void {
    const count = this.deps.conversations.activeUnreadCount();
    if (count === this.unread) return;
    this.unread = count;
    this.deps.events.emit('conversations.unread', { count });
  }

  async takeOver(id: number): Promise<ConversationSummary> {
    this.summary(id);
    await this.deps.claims.takeOver(id);
    return this.summary(id);
  }
}
