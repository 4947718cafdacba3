// The two header fields that tell the team who sent an answer. They are added to the Sent
// folder's copy only, never to what the client receives: the operator's name (shown to the
// other desks as "Operator · Alice") and the desk's id (a desk recognises its own answers by it
// even when its local store was rebuilt).
import libmime from 'libmime';
import { fieldText } from '../mail/message-headers';

const OPERATOR = 'X-Postdesk-Operator';
const DESK = 'X-Postdesk-Desk';
const DESK_ID = /^[0-9a-f-]{36}$/;
const MAX_NAME = 100;

export interface Sender {
  operator: string;
  deskId: string;
}

/** The lines to put in front of the sent bytes for the Sent copy (CRLF, folded, non-ASCII as encoded words). */
export function teamHeaderLines({ operator, deskId }: Sender): Buffer {
  const name = libmime.foldLines(`${OPERATOR}: ${libmime.encodeWords(operator, 'B', 52)}`, 76);
  return Buffer.from(`${name.replace(/\r?\n/g, '\r\n')}\r\n${DESK}: ${deskId}\r\n`, 'ascii');
}

/** Who sent a message of the Sent folder, as far as its fields say; whatever does not fit is left out. */
export function readSender(head: Buffer): { operator: string | null; deskId: string | null } {
  const operator = fieldText(head, OPERATOR)?.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_NAME) || null;
  const desk = fieldText(head, DESK)?.toLowerCase() ?? null;
  return { operator, deskId: desk !== null && DESK_ID.test(desk) ? desk : null };
}
