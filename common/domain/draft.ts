// A message being written — a reply, or an outgoing message from the new-message window — with
// its files, and what sending it found.
import { z } from 'zod';
import { fileProblem } from './attachment';
import { claimView, conversationChange } from './conversation';
import { quote } from './message';

/** A file in a draft: its problem (null when it may be sent) is the hint beside it. */
export const draftFile = z.object({
  id: z.number().int(),
  fileName: z.string(),
  size: z.number().int(),
  problem: fileProblem.nullable(),
  attachedAt: z.number().int(),
});

/** The draft with its files (invalid first, then newest) and whether it may be sent. */
export const draftView = z.object({
  id: z.number().int(),
  kind: z.enum(['reply', 'outgoing']),
  /** Replies only; an outgoing message gets its conversation when sent. */
  conversationId: z.number().int().nullable(),
  /** Outgoing only: to whom and through which channel. */
  clientId: z.number().int().nullable(),
  channelId: z.string().nullable(),
  subject: z.string(),
  bcc: z.array(z.string()),
  text: z.string(),
  /** Where the message will really go (the reply's To line); null when there is no address. */
  recipient: z.object({ name: z.string().nullable(), address: z.string() }).nullable(),
  /**
   * Replies only, when the client's last mail has a Reply-To that is not its From: both
   * addresses, and which one this reply goes to (the From address unless the operator chose).
   */
  replyToChoice: z.object({ from: z.string(), replyTo: z.string(), chosen: z.enum(['from', 'reply-to']) }).nullable(),
  /** What goes under the text when it is sent (the operator's and the channel's lines); null for none. */
  signature: z.string().nullable(),
  /** Replies only: what of the client's last message the reply quotes. */
  quote: quote.nullable(),
  /**
   * Outgoing only: the client's mail waits in the Active conversation this message joins — unread
   * on this desk, or unanswered — so sending keeps the conversation Active instead of Completed.
   */
  waiting: z.object({ unread: z.boolean(), unanswered: z.boolean() }).nullable(),
  files: z.array(draftFile),
  check: z.object({
    canSend: z.boolean(),
    invalidCount: z.number().int(),
    validTotal: z.number().int(),
    overBy: z.number().int(),
    empty: z.boolean(),
  }),
});

/** Queued, or not sent yet: another operator's live claim, or what changed since writing began. */
export const sendOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('queued'), messageId: z.number().int(), conversationId: z.number().int() }),
  z.object({ status: z.literal('confirm'), replying: claimView.nullable(), changes: z.array(conversationChange) }),
]);

/** Which draft an unsent message went back into (Edit). */
export const restoredDraft = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reply'), conversationId: z.number().int() }),
  z.object({ kind: z.literal('outgoing'), clientId: z.number().int(), channelId: z.string() }),
]);

/** A saved reply: the config's, or one a channel's team shares. */
export const templateSummary = z.object({ id: z.string(), name: z.string(), text: z.string(), files: z.array(z.string()), shared: z.boolean() });

export type DraftFile = z.output<typeof draftFile>;
export type DraftView = z.output<typeof draftView>;
export type SendOutcome = z.output<typeof sendOutcome>;
export type RestoredDraft = z.output<typeof restoredDraft>;
export type TemplateSummary = z.output<typeof templateSummary>;
