// The conversation list and its verbs: what the history shows of each conversation (with another
// operator's claim on it), and Complete / re-open / Take over, which the team shares.
import type { ConversationStatus, ConversationSummary } from '../../preload/contract';
import { AppError } from '../errors';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { Claims } from '../team/claims';
import type { InboxMarks } from '../team/inbox-marks';

export interface ConversationServiceDeps {
  conversations: ConversationsRepo;
  marks: Pick<InboxMarks, 'set'>;
  claims: Pick<Claims, 'otherClaim' | 'takeOver'>;
}

export class ConversationService {
  constructor(private readonly deps: ConversationServiceDeps) {}

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
  }

  setStatus(id: number, status: ConversationStatus): ConversationSummary {
    this.summary(id);
    this.deps.marks.set(id, status);
    return this.summary(id);
  }

  async takeOver(id: number): Promise<ConversationSummary> {
    this.summary(id);
    await this.deps.claims.takeOver(id);
    return this.summary(id);
  }
}
