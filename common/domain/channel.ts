// A mailbox the team serves (a "channel") as a desk sees it: its IMAP side, its SMTP side, and
// whether the team's shared state (answers, Completed, claims) reaches this desk.
import { z } from 'zod';
import { failureSchema } from '../failure';

export const channelState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unchecked') }),
  z.object({ kind: z.literal('connecting') }),
  z.object({ kind: z.literal('syncing'), done: z.number().int(), total: z.number().int() }),
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('error'), reason: failureSchema }),
]);

/** Whether what the other desks do (answers, Completed, claims) reaches this desk now. */
export const teamState = z.enum(['live', 'offline']);

/** The channel's SMTP server as the last send or Check connection found it. */
export const smtpState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unchecked') }),
  z.object({ kind: z.literal('ok') }),
  z.object({ kind: z.literal('error'), reason: failureSchema }),
]);

/** Whether the server can lock a conversation for one operator ("Alice is replying"): it needs CONDSTORE. */
export const claimsState = z.enum(['shared', 'unavailable']);

export const channelView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  /** The IMAP side (receiving). */
  state: channelState,
  /** The SMTP side (sending). */
  smtp: smtpState,
  team: teamState,
  claims: claimsState,
});

export type ChannelState = z.output<typeof channelState>;
export type TeamState = z.output<typeof teamState>;
export type SmtpState = z.output<typeof smtpState>;
export type ClaimsState = z.output<typeof claimsState>;
export type ChannelView = z.output<typeof channelView>;
