// The envelope fields of a message, read from its raw header lines rather than from
// mailparser's parsed headers: mailparser turns raw 8-bit text into U+FFFD, an unreadable Date
// into "now", and internationalized domains into Unicode, while we want the sender's charset,
// null for an unknown date, and addresses as written (they are used to reply).
import libmime from 'libmime';
import { parseAddressHeader, type HeaderLines } from 'mailparser';
import { decodeHeaderText } from './encoded-words';
import { decodeBinaryString } from './header-text';

export interface MessageHeaders {
  /** As in the header, angle brackets included: "<abc@x>". */
  messageId: string | null;
  inReplyTo: string | null;
  /** In header order. */
  references: string[];
  /** The address as written (case and punycode kept); name '' when there is none. */
  from: { address: string; name: string } | null;
  /** Every Reply-To address, as a list ("a@x, b@y"): the reply composer shows and offers them. */
  replyTo: string | null;
  /** Every To address, groups flattened. */
  to: string[];
  /** '' when absent. */
  subject: string;
  /** null when absent or unreadable. */
  date: Date | null;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const MESSAGE_ID = /<[^<>\s]+>/g;

/** Reads the fields; what cannot be read is null (or empty) and described in `problems`. */
export function readMessageHeaders(
  lines: HeaderLines,
  charsets: readonly (string | undefined)[],
  problems: string[],
): MessageHeaders {
  const values = (key: string): string[] =>
    lines.filter((l) => l.key === key).map((l) => decodeBinaryString(headerValue(l.line), charsets).text.trim());
  const first = (key: string): string | null => values(key)[0] ?? null;
  const subjectLine = lines.find((l) => l.key === 'subject');

  const notFields = lines.filter((l) => l.line !== '' && !FIELD_NAME.test(l.key)).length;
  if (notFields > 0) problems.push(`the message header has ${notFields} line(s) that are not header fields`);

  return {
    messageId: messageIds(first('message-id'))[0] ?? null,
    inReplyTo: messageIds(first('in-reply-to'))[0] ?? null,
    references: values('references').flatMap(messageIds),
    from: readFrom(first('from'), problems),
    replyTo: addresses([first('reply-to') ?? '']).join(', ') || null,
    to: addresses(values('to')),
    subject: subjectLine ? decodeHeaderText(headerValue(subjectLine.line), charsets).text.trim() : '',
    date: readDate(first('date'), problems),
  };
}

/** The Subject of a message from the start of its raw bytes (a forwarded message/rfc822 part). */
export function subjectOf(head: Buffer, charsets: readonly (string | undefined)[]): string {
  const subject = headerLinesOf(head).find((l) => l.key === 'subject');
  return subject ? decodeHeaderText(headerValue(subject.line), charsets).text.trim() : '';
}

/**
 * The header fields at the start of `head`, unfolded, each as mailsplit hands them to
 * mailparser: the lower-case name and the whole line, one character per byte.
 */
export function headerLinesOf(head: Buffer): HeaderLines {
  const text = head.toString('latin1');
  const blank = text.search(/\r?\n\r?\n/);
  const block = blank === -1 ? text : text.slice(0, blank);
  const lines: Array<{ key: string; line: string }> = [];
  for (const line of block.split(/\r?\n/)) {
    const last = lines.at(-1);
    if (/^[ \t]/.test(line) && last) last.line += `\r\n${line}`;
    else if (line.includes(':')) lines.push({ key: line.slice(0, line.indexOf(':')).trim().toLowerCase(), line });
  }
  return lines;
}

/** The first `key` field at the start of `head`, unfolded, encoded words decoded (UTF-8 otherwise); null when absent. */
export function fieldText(head: Buffer, key: string): string | null {
  const line = headerLinesOf(head).find((l) => l.key === key.toLowerCase());
  return line ? decodeHeaderText(headerValue(line.line), ['utf-8']).text.trim() : null;
}

/** The value of a raw header line ("Key: value", folding included), unfolded. */
function headerValue(line: string): string {
  return String(libmime.decodeHeader(line).value ?? '');
}

function messageIds(value: string | null): string[] {
  if (!value) return [];
  const ids = value.match(MESSAGE_ID);
  if (ids) return ids;
  // Some clients leave out the brackets; threading still needs the ID, in the usual form.
  return /^[^<>\s]+$/.test(value) ? [`<${value}>`] : [];
}

function readFrom(value: string | null, problems: string[]): MessageHeaders['from'] {
  if (value === null) {
    problems.push('the message has no From header');
    return null;
  }
  const mailbox = mailboxes([value]).find((m) => m.address);
  if (!mailbox?.address) {
    problems.push(`the From header ${quote(value)} has no e-mail address`);
    return null;
  }
  return { address: mailbox.address, name: mailbox.name };
}

function addresses(values: string[]): string[] {
  return mailboxes(values).flatMap((m) => (m.address ? [m.address] : []));
}

function mailboxes(values: string[]): { name: string; address?: string }[] {
  // Groups are flattened, and domains stay as written: a reply goes to exactly this address.
  return parseAddressHeader(values, { flatten: true, decodePunycode: false }).value;
}

function readDate(value: string | null, problems: string[]): Date | null {
  if (value === null) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    problems.push(`the Date header ${quote(value)} could not be read`);
    return null;
  }
  return date;
}

/** A value from the message fit for a problem text: in quotes, short, without control characters. */
export function quote(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return `"${clean.length > 100 ? `${clean.slice(0, 100)}…` : clean}"`;
}
