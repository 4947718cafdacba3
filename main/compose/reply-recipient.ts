// Where a reply goes, decided in one place for the composer's To line and for the send: the
// client's own address (the From of their last mail), unless that mail asks for replies to go
// elsewhere (Reply-To) and the operator chose that address for this draft.
import { isEmailAddress } from '../../common/client-fields';
import type { DraftView } from '../../common/domain/draft';
import { AppError } from '../errors';
import { addresses, divertingReplyTo, sameAddress } from '../mail/reply-threading';
import type { ThreadAnchor } from '../store/messages-repo';

export type Recipient = NonNullable<DraftView['recipient']>;
export type RecipientChoice = NonNullable<DraftView['replyToChoice']>;

export interface ReplyRecipient {
  /** Null when there is no address to write to at all. */
  to: Recipient | null;
  /** Set when the client's last mail has a Reply-To that is not its From: the operator must see both. */
  choice: RecipientChoice | null;
}

/**
 * The reply's recipient, from the client's last mail, the client, and the address stored as the
 * operator's choice (null, or an address that is no longer one of the two, means the default).
 *
 * The default is the From address, not the Reply-To: From is the address this conversation's
 * client is known by (their client record was found or created by it), while a Reply-To can
 * name anyone — a forged or compromised mail sets one to collect the documents an operator
 * sends back. Sending to the known client unless the operator says otherwise is the mistake
 * that leaks nothing. With several Reply-To addresses the first one that is not From is
 * offered: a reply goes to one address only, and the history shows the whole list.
 */
export function replyRecipient(
  anchor: Pick<ThreadAnchor, 'fromAddress' | 'replyTo'> | undefined,
  client: { name: string; email: string | null } | undefined,
  stored: string | null,
): ReplyRecipient {
  const from = (anchor?.fromAddress ? addresses(anchor.fromAddress)[0] : undefined) ?? client?.email ?? null;
  const other = divertingReplyTo(from, anchor?.replyTo ?? null).find((a) => !sameAddress(a, from) && isEmailAddress(a));
  // The client's own address goes with their name; another address is shown alone, since we
  // do not know whose it is.
  const known = (address: string): Recipient => ({ name: client?.name || null, address });
  if (!other) return { to: from ? known(from) : null, choice: null };
  // A mail without any From address leaves its Reply-To as the only address there is.
  if (!from) return { to: { name: null, address: other }, choice: null };
  const chosen = sameAddress(stored, other) ? 'reply-to' : 'from';
  return {
    to: chosen === 'reply-to' ? { name: null, address: other } : known(from),
    choice: { from, replyTo: other, chosen },
  };
}

/** The operator's choice as stored: one of the two addresses offered, as the mail wrote it; anything else is refused. */
export function chosenAddress(choice: RecipientChoice | null, address: string): string {
  const match = choice && [choice.from, choice.replyTo].find((a) => sameAddress(a, address));
  if (!match) {
    throw new AppError(
      'invalid_input',
      choice
        ? `A reply to this mail goes to ${choice.from} or ${choice.replyTo}, not to ${address}.`
        : `This reply goes to the client's own address only; ${address} is not offered.`,
    );
  }
  return match;
}
