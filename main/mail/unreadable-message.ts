// A message Postdesk could not read or store is still kept: its raw bytes are already a blob,
// and a row with what its header shows (From, Subject, as far as they can be read) and a
// problem saying so puts it in the history, where the operator can save the original. The
// sync then moves past its UID instead of trying it again forever.
import type { HeaderLines } from 'mailparser';
import { checkMessage, type CheckedMessage } from './incoming-fields';
import { readMessageHeaders } from './message-headers';

/** The row of a message that could not be read or stored: header fields at best, no body, no files. */
export function unreadableMessage(head: Buffer, reason: string): CheckedMessage {
  const problem = `Postdesk could not read this message (${reason}). It is kept as it arrived: save the original to open it in another mail program.`;
  let headers: ReturnType<typeof readMessageHeaders> | null = null;
  try {
    // The header fields' own problems (no From, a bad Date) say nothing the note does not.
    headers = readMessageHeaders(headerLinesOf(head), [], []);
  } catch {
    // not even the header could be read: the row shows the note alone
  }
  const message = checkMessage({
    messageId: headers?.messageId ?? null,
    inReplyTo: headers?.inReplyTo ?? null,
    references: headers?.references ?? [],
    from: headers?.from ?? null,
    replyTo: headers?.replyTo ?? null,
    to: headers?.to ?? [],
    subject: headers?.subject ?? '',
    date: null,
    text: null,
    html: null,
    bodyTruncated: false,
    problems: [problem],
  });
  return { ...message, attachments: [] };
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
