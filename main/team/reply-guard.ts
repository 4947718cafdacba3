// One answer at a time: a reply being written claims its conversation for the team (claims.ts),
// and before it is sent the desk looks at what happened since the operator started writing —
// another operator's live claim, the client's new mail, another operator's answer — so the
// operator decides with the facts (Send anyway / Cancel) instead of the client getting two answers.
import type { ClaimView, ConversationChange } from '../../common/domain/conversation';
import type { MessagesRepo } from '../store/messages-repo';
import type { Claims } from './claims';

export interface ReplyCheck {
  replying: ClaimView | null;
  changes: ConversationChange[];
}

export class ReplyGuard {
  constructor(
    private readonly deps: {
      claims: Pick<Claims, 'claim' | 'release' | 'otherClaim'>;
      messages: Pick<MessagesRepo, 'othersSince'>;
      deskId: string;
      log(message: string, error: unknown): void;
    },
  ) {}

  /** The operator started writing (or went on after a restart), or the reply was emptied or sent. */
  writing(conversationId: number, writing: boolean): void {
    const step = writing ? this.deps.claims.claim(conversationId) : this.deps.claims.release(conversationId);
    step.catch((error: unknown) => this.deps.log(`could not ${writing ? 'claim' : 'release'} conversation ${conversationId}`, error));
  }

  /** What Send must ask about: a live claim of another operator, and what reached the conversation after `baseMessageId`. */
  check(conversationId: number, baseMessageId: number | null): ReplyCheck {
    const claim = this.deps.claims.otherClaim(conversationId);
    const changes =
      baseMessageId === null
        ? []
        : this.deps.messages.othersSince(conversationId, baseMessageId, this.deps.deskId).map((m) => ({
            kind: m.direction === 'in' ? ('client' as const) : ('operator' as const),
            name: m.name,
            at: m.createdAt,
          }));
    return { replying: claim && !claim.stale ? claim : null, changes };
  }
}
