// A client's conversation on one channel, as the lists show it, and what other desks do to it.
import { z } from 'zod';

export const conversationStatus = z.enum(['active', 'completed']);

/** Another operator's claim on a conversation ("Alice is replying"). */
export const claimView = z.object({
  /** null while their desk has not said who it is. */
  operator: z.string().nullable(),
  /** Their desk has gone quiet: the claim may be taken over without asking. */
  stale: z.boolean(),
});

export const conversationSummary = z.object({
  id: z.number().int(),
  status: conversationStatus,
  clientName: z.string(),
  channelName: z.string(),
  lastSubject: z.string(),
  lastMessageAt: z.number().int().nullable(),
  unread: z.boolean(),
  /** Another operator is writing a reply here. */
  replying: claimView.nullable(),
  /** A message of this conversation did not go: it failed, or waits to be tried again after a failure. */
  sendProblem: z.enum(['failed', 'retrying']).nullable(),
});

/** What reached a conversation since the operator started writing: the client's mail, another operator's answer. */
export const conversationChange = z.object({
  kind: z.enum(['client', 'operator']),
  /** The client's or the operator's name (null when the message does not say). */
  name: z.string().nullable(),
  at: z.number().int(),
});

export type ConversationStatus = z.output<typeof conversationStatus>;
export type ClaimView = z.output<typeof claimView>;
export type ConversationSummary = z.output<typeof conversationSummary>;
export type ConversationChange = z.output<typeof conversationChange>;
