// A message of a conversation's history: the client's mail or an answer, with all its files.
import { z } from 'zod';
import { failureSchema } from '../failure';
import { messageFields } from '../mail-fields';
import { attachmentView, saveAllMode } from './attachment';

export const messageStatus = z.enum(['received', 'queued', 'sending', 'sent', 'failed']);

/** What an answer quotes of the client's message: who wrote it when, and their text. */
export const quote = z.object({ attribution: z.string(), text: z.string() });

/** Its own fields are those main checks incoming mail against (common/mail-fields.ts). */
export const messageView = messageFields.omit({ replyTo: true }).extend({
  id: z.number().int(),
  conversationId: z.number().int(),
  direction: z.enum(['in', 'out']),
  /** incoming mail, the operator's reply, or a message started from the new-message window. */
  kind: z.enum(['incoming', 'reply', 'new']),
  /** The default of "Download all files" for this message, from the config. */
  saveAllMode,
  status: messageStatus,
  /** Incoming only: the Reply-To addresses when they are not just the From address; else empty. */
  replyTo: z.array(z.string()),
  bcc: z.array(z.string()),
  createdAt: z.number().int(),
  sentAt: z.number().int().nullable(),
  /** Why it was not sent (failed, or queued to retry), or a note on a message sent to some recipients only. */
  error: failureSchema.nullable(),
  hasOriginal: z.boolean(),
  /** Outgoing: what of the client's message the answer quoted (the mail carries it; the history shows it folded). */
  quote: quote.nullable(),
  /** Outgoing: the operator who sent it (this desk's, or another desk's as its Sent copy says); null when unknown. */
  operator: z.string().nullable(),
  /** The text or HTML is longer than the history keeps: only its start is here (see messages.fullBody). */
  bodyTruncated: z.boolean(),
  attachments: z.array(attachmentView),
});

/** History comes in pages, newest first to load, so a conversation of 10,000 messages opens like one of 100. */
export const historyPage = z.object({ messages: z.array(messageView), hasOlder: z.boolean() });

/** "Show the whole message": the text and HTML read again from the original, up to `limit` bytes. */
export const wholeBody = z.object({ html: z.string().nullable(), text: z.string().nullable(), tooLarge: z.boolean(), limit: z.number().int() });

export type MessageStatus = z.output<typeof messageStatus>;
export type Quote = z.output<typeof quote>;
export type MessageView = z.output<typeof messageView>;
export type HistoryPage = z.output<typeof historyPage>;
export type WholeBody = z.output<typeof wholeBody>;
