// The fields of a message and of its attachments, defined once: the contract's messageView and
// attachmentView are built from these schemas, and main checks every value of an incoming
// message against the same ones before it is bound to SQL. So what the store holds is what the
// page is promised, and a parser quirk (a media type of `false`, a size of NaN) is caught at the
// door as a problem of that message instead of as an exception that stops its mailbox.
import { z } from 'zod';

/** `type/subtype` as RFC 2045 tokens, lower case as the parser hands it over. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;
/** Longer than any real media type (RFC 6838 allows 127 + 1 + 127). */
const MAX_MEDIA_TYPE = 255;
/** What common file systems take as one name; incoming names are cut to fewer before. */
const MAX_FILE_NAME = 255;

// eslint-disable-next-line no-control-regex -- an address with a control character cannot be answered
const CONTROL = /[\u0000-\u001f\u007f]/;

/** An e-mail address as written, or none. */
const address = z
  .string()
  .min(1)
  .refine((a) => !CONTROL.test(a), 'contains a control character')
  .nullable();

export const attachmentFields = z.object({
  fileName: z.string().min(1).max(MAX_FILE_NAME),
  mediaType: z.string().max(MAX_MEDIA_TYPE).regex(MEDIA_TYPE),
  size: z.number().int().nonnegative(),
  inline: z.boolean(),
  contentId: z.string().nullable(),
});

/** `<id@host>`, angle brackets included, as message-headers reads it. */
const messageIdField = z.string().regex(/^<[^<>\s]+>$/);

export const messageFields = z.object({
  fromAddress: address,
  fromName: z.string().nullable(),
  toAddress: address,
  replyTo: address,
  subject: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  /** Human-readable descriptions of what was wrong with the message, in English. */
  problems: z.array(z.string()),
});

/** What only the store keeps of an incoming message: threading and where it came from. */
export const incomingFields = z.object({
  messageId: messageIdField.nullable(),
  inReplyTo: messageIdField.nullable(),
  references: z.array(messageIdField),
  imapUid: z.number().int().positive().nullable(),
  createdAt: z.number().int().nonnegative(),
});

export type AttachmentFields = z.output<typeof attachmentFields>;
export type MessageFields = z.output<typeof messageFields>;
export type IncomingFields = z.output<typeof incomingFields>;
