// Every value of an incoming message is checked against the shared field schemas
// (common/mail-fields.ts) before it is bound to SQL. The parser is mailparser plus our own
// readers, and real mail finds their quirks: `Content-Type: ; name="facejj.jpg"` makes the media
// type `false`, which SQLite refuses to bind, and that one refusal used to stop the mailbox for
// good. Here a value that does not fit its schema becomes a safe fallback and a problem note on
// the message; nothing is thrown.
import { z } from 'zod';
import { attachmentFields, incomingFields, messageFields, type IncomingFields, type MessageFields } from '../../common/mail-fields';
import { isBlobKey } from '../files/blob-store';
import type { NewAttachment } from '../store/messages-repo';
import { fallbackName, mediaTypeOfName } from './attachment-name';
import { quote } from './message-headers';
import type { ParsedMessage } from './parse-message';

/** The parsed message as it may be stored: every field fits its schema. */
export interface CheckedMessage extends MessageFields, Omit<IncomingFields, 'imapUid' | 'createdAt'> {
  attachments: NewAttachment[];
  /** The text or HTML is kept only up to the display size (parse-limits.ts). */
  bodyTruncated?: boolean;
}

type Fallbacks<T> = { [K in keyof T]: (value: unknown) => T[K] };

const messageShape = messageFields.extend(incomingFields.pick({ messageId: true, inReplyTo: true, references: true }).shape);

const MESSAGE_LABELS: Record<keyof z.output<typeof messageShape>, string> = {
  fromAddress: 'the From address',
  fromName: 'the sender’s name',
  toAddress: 'the To address',
  replyTo: 'the Reply-To address',
  subject: 'the Subject',
  text: 'the text',
  html: 'the HTML body',
  problems: 'the list of problems',
  messageId: 'the Message-ID',
  inReplyTo: 'the In-Reply-To',
  references: 'the References',
};

/** The parser's result made fit to store; `sizeOf` measures a stored blob when a size is unusable. */
export async function checkParsed(parsed: ParsedMessage, sizeOf: (blobKey: string) => Promise<number>): Promise<CheckedMessage> {
  const message = checkMessage(parsed);
  const problems: string[] = [];
  const parts: unknown[] = Array.isArray(parsed.attachments) ? parsed.attachments : [];
  if (!Array.isArray(parsed.attachments)) problems.push('the list of attachments could not be read; the original message still holds them');
  const attachments: NewAttachment[] = [];
  for (const [i, part] of parts.entries()) {
    const attachment = await checkAttachment(part, i + 1, sizeOf, problems);
    if (attachment) attachments.push(attachment);
  }
  return { ...message, problems: [...message.problems, ...problems], attachments, bodyTruncated: parsed.bodyTruncated === true };
}

/** The message's own fields (no attachments) made fit to store; what had to be replaced is among its problems. */
export function checkMessage(parsed: Omit<ParsedMessage, 'attachments'>): Omit<CheckedMessage, 'attachments'> {
  const from: unknown = parsed.from;
  const sender = isRecord(from) ? from : {};
  const candidate = {
    fromAddress: sender.address ?? null,
    fromName: sender.name === '' ? null : (sender.name ?? null),
    toAddress: Array.isArray(parsed.to) ? (parsed.to[0] ?? null) : parsed.to,
    replyTo: parsed.replyTo,
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html,
    problems: parsed.problems,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
  };
  const replaced: string[] = [];
  const message = checkObject(messageShape, candidate, MESSAGE_FALLBACKS, (key) => MESSAGE_LABELS[key], replaced);
  return { ...message, problems: [...message.problems, ...replaced] };
}

/** Where the sync says the message came from: its UID and when the server received it. */
export function checkDelivery(delivery: { imapUid: unknown; createdAt: unknown }, problems: string[]): Pick<IncomingFields, 'imapUid' | 'createdAt'> {
  return checkObject(
    incomingFields.pick({ imapUid: true, createdAt: true }),
    delivery,
    { imapUid: () => null, createdAt: () => Date.now() },
    (key) => (key === 'imapUid' ? 'the IMAP UID' : 'the time the server received it'),
    problems,
  );
}

const MESSAGE_FALLBACKS: Fallbacks<z.output<typeof messageShape>> = {
  fromAddress: () => null,
  fromName: () => null,
  toAddress: () => null,
  replyTo: () => null,
  subject: () => '',
  text: () => null,
  html: () => null,
  problems: (value) => validItems(value, z.string()),
  messageId: () => null,
  inReplyTo: () => null,
  references: (value) => validItems(value, incomingFields.shape.references.element),
};

async function checkAttachment(
  part: unknown,
  index: number,
  sizeOf: (blobKey: string) => Promise<number>,
  problems: string[],
): Promise<NewAttachment | null> {
  const value = isRecord(part) ? part : {};
  const blobKey = value.blobKey;
  // Without its bytes there is nothing to list; the original message still holds them.
  if (typeof blobKey !== 'string' || !isBlobKey(blobKey)) {
    problems.push(`attachment ${index} could not be kept as a file of its own; save the original message to get it`);
    return null;
  }
  const range = value.range === undefined ? undefined : partRange.safeParse(value.range);
  if (range && !range.success) {
    problems.push(`attachment ${index} could not be kept as a file of its own; save the original message to get it`);
    return null;
  }
  // Measured only when needed: the blob store knows the real size of what it holds.
  const measured = attachmentFields.shape.size.safeParse(value.size).success ? 0 : await sizeOf(blobKey).catch(() => 0);
  const mediaType = attachmentFields.shape.mediaType.safeParse(value.mediaType);
  const fields = checkObject(
    attachmentFields,
    value,
    {
      fileName: () => fallbackName(index, mediaType.success ? mediaType.data : 'application/octet-stream'),
      // A media type missing from the header is guessed from the file name, as mail programs do.
      mediaType: () => (typeof value.fileName === 'string' ? mediaTypeOfName(value.fileName) : null) ?? 'application/octet-stream',
      size: () => measured,
      inline: () => false,
      contentId: () => null,
    },
    (key) => `${ATTACHMENT_LABELS[key]} of attachment ${index}`,
    problems,
  );
  return { ...fields, blobKey, ...(range && { range: range.data }) };
}

/** Where a file lies in its raw message (parse-fast.ts): bound to SQL like any other field, so checked like one. */
const partRange = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  encoding: z.enum(['base64', 'quoted-printable', 'identity']),
  line: z
    .object({ chars: z.number().int().positive().multipleOf(4), lineBreak: z.union([z.literal(1), z.literal(2)]) })
    .nullable(),
}).refine((r) => r.end >= r.start);

const ATTACHMENT_LABELS: Record<keyof z.output<typeof attachmentFields>, string> = {
  fileName: 'the file name',
  mediaType: 'the media type',
  size: 'the size',
  inline: 'the placement',
  contentId: 'the Content-ID',
};

/**
 * Each field of `value` that fits its schema as it is; each other one replaced by its fallback,
 * with a note saying what was wrong and what was kept instead.
 */
function checkObject<S extends z.ZodObject>(
  schema: S,
  value: Record<string, unknown>,
  fallbacks: Fallbacks<z.output<S>>,
  label: (key: keyof z.output<S> & string) => string,
  problems: string[],
): z.output<S> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape) as Array<[keyof z.output<S> & string, z.ZodType]>) {
    const checked = field.safeParse(value[key]);
    if (checked.success) {
      out[key] = checked.data;
      continue;
    }
    const fallback = fallbacks[key](value[key]);
    out[key] = fallback;
    problems.push(`${label(key)} could not be used (${describe(value[key])}), so it was stored as ${describeFallback(fallback)}`);
  }
  return out as z.output<S>;
}

function validItems<T>(value: unknown, item: z.ZodType<T>): T[] {
  return Array.isArray(value) ? value.flatMap((v) => (item.safeParse(v).success ? [v as T] : [])) : [];
}

/** What the parser handed over, short and safe to show. */
function describe(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'empty' : quote(value);
  if (value === undefined) return 'missing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
}

function describeFallback(value: unknown): string {
  if (value === null) return 'none';
  if (value === '') return 'empty';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : `the ${value.length} usable one(s)`;
  return typeof value === 'string' ? quote(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
