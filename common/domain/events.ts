// What main tells every page without being asked. Services emit these on main's event bus
// (main/events.ts); the contract pushes the same map to the page.
import { z } from 'zod';
import { failureSchema } from '../failure';
import { channelState, claimsState, smtpState, teamState } from './channel';
import { messageStatus } from './message';

export const events = {
  'channels.state': z.object({ id: z.string(), state: channelState, smtp: smtpState, team: teamState, claims: claimsState }),
  /** A message is stored, attachments and all: the client's ('in'), or an answer another desk sent ('out'). */
  'mail.received': z.object({ channelId: z.string(), direction: z.enum(['in', 'out']), conversationId: z.number().int(), messageId: z.number().int() }),
  /** The number of Active conversations with unread mail changed (the tab, the title, the dock). */
  'conversations.unread': z.object({ count: z.number().int() }),
  /** Open this conversation (the operator clicked a desktop notification). */
  'app.openConversation': z.object({ conversationId: z.number().int() }),
  /** The desktop app downloaded an update: Restart to update installs it (main/app/updates.ts). */
  'app.updateReady': z.object({ version: z.string() }),
  /** Conversations moved (Completed or Active on another desk) or their claims changed. */
  'conversations.changed': z.object({ ids: z.array(z.number().int()) }),
  /** An outgoing message changed status (queued → sending → sent | failed). */
  'outbox.status': z.object({
    conversationId: z.number().int(),
    messageId: z.number().int(),
    status: messageStatus,
    error: failureSchema.nullable(),
  }),
  /** main finished checking a received message's files (content and virus scan). */
  'attachments.checked': z.object({ conversationId: z.number().int(), messageId: z.number().int() }),
  /** A save of several files is under way (bytes written of all). */
  'attachments.progress': z.object({ messageId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  /** Bytes of the encoded message handed to the SMTP server so far. */
  'outbox.progress': z.object({ messageId: z.number().int(), sent: z.number().int(), total: z.number().int() }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
