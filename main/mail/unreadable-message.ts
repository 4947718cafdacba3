// A message Postdesk could not read or store is still kept: its raw bytes are already a blob,
// and a row with what its header shows (From, Subject, as far as they can be read) and a
// problem saying so puts it in the history, where the operator can save the original. The
// sync then moves past its UID instead of trying it again forever.
import { checkMessage, type CheckedMessage } from './incoming-fields';
import { headerLinesOf, readMessageHeaders } from './message-headers';

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
