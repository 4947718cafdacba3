// The header fields that tell the team who sent an answer, and when. They are added to the Sent
// folder's copy only, never to what the client receives: the operator's name (shown to the
// other desks as "Operator · Alice"), the desk's id (a desk recognises its own answers by it
// even when its local store was rebuilt) and the moment it was sent to the millisecond (IMAP
// dates have whole seconds, and two answers within one second must keep their order).
import libmime from 'libmime';
import { fieldText } from '../mail/message-headers';

const OPERATOR = 'X-Postdesk-Operator';
const DESK = 'X-Postdesk-Desk';
const SENT_AT = 'X-Postdesk-Sent-At';
const DESK_ID = /^[0-9a-f-]{36}$/;
const MAX_NAME = 100;

export interface Sender {
  operator: string;
  deskId: string;
  sentAt: number;
}

/** The lines to put in front of the sent bytes for the Sent copy (CRLF, folded, non-ASCII as encoded words). */
export function teamHeaderLines({ operator, deskId, sentAt }: Sender): Buffer {
  const name = libmime.foldLines(`${OPERATOR}: ${libmime.encodeWords(operator, 'B', 52)}`, 76);
  return Buffer.from(`${name.replace(/\r?\n/g, '\r\n')}\r\n${DESK}: ${deskId}\r\n${SENT_AT}: ${sentAt}\r\n`, 'ascii');
}

/** Who sent a message of the Sent folder, and when, as far as its fields say; whatever does not fit is left out. */
export function readSender(head: Buffer): { operator: string | null; deskId: string | null; sentAt: number | null } {
  const operator = fieldText(head, OPERATOR)?.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_NAME) || null;
  const desk = fieldText(head, DESK)?.toLowerCase() ?? null;
  const sentAt = Number(fieldText(head, SENT_AT) ?? NaN);
  return { operator, deskId: desk !== null && DESK_ID.test(desk) ? desk : null, sentAt: Number.isSafeInteger(sentAt) && sentAt > 0 ? sentAt : null };
}
