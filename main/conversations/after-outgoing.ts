// Where a conversation goes when an operator starts a new message in it (the new-message
// window), decided the same way by the desk that sends it and by every desk of the team that
// files its Sent copy, so the desks agree without saying more to each other.
import type { ConversationsRepo } from '../store/conversations-repo';

/**
 * It waits under Completed until the client answers — unless the client's mail in it still
 * waits (unread, or unanswered): then it stays Active, where that mail is not lost from sight.
 * Called before the new message is stored, so it is not the newest message yet.
 */
export function settleAfterOutgoing(conversations: Pick<ConversationsRepo, 'waitingMail' | 'setStatus'>, conversationId: number): void {
  if (conversations.waitingMail(conversationId) === null) conversations.setStatus(conversationId, 'completed');
}
