// The team's marks on incoming messages in the shared INBOX: a small fixed set of IMAP keywords
// (Maildir keeps only 26 keyword names per folder, so never one per operator), and the one
// conditional STORE they are written with.
import type { ImapFlow } from 'imapflow';

/** On a conversation's newest incoming message: the conversation is Completed. */
export const DONE = '$PostdeskDone';
/** On a message of the conversation: an operator is writing a reply (who: the desks' heartbeats). */
export const REPLYING = '$PostdeskReplying';

export type StoreOutcome = 'stored' | 'modified';

/** Whether the open folder can take a compare-and-set (CONDSTORE enabled, modseqs kept). */
export function canCompareAndSet(client: ImapFlow): boolean {
  return client.enabled.has('CONDSTORE') && client.mailbox !== false && !client.mailbox.noModseq;
}

/** The message's flags and MODSEQ as the server has them now; null when the UID is gone. */
export async function readFlags(client: ImapFlow, uid: number): Promise<{ flags: Set<string>; modseq: bigint } | null> {
  const message = await client.fetchOne(String(uid), { uid: true, flags: true }, { uid: true });
  if (!message || message.modseq === undefined) return null;
  return { flags: message.flags ?? new Set(), modseq: BigInt(message.modseq) };
}

/**
 * `UID STORE uid (UNCHANGEDSINCE modseq) ±FLAGS (keyword)`: 'stored' when the server applied
 * it, 'modified' when the message changed after `modseq` and nothing was written.
 *
 * Sent by hand: imapflow's messageFlagsAdd resolves true for the loser of a race as well (it
 * drops the MODIFIED response code), and with CONDSTORE off it would quietly send a STORE
 * without the condition. Callers check canCompareAndSet first.
 */
export async function storeIfUnchanged(client: ImapFlow, uid: number, modseq: bigint, change: 'add' | 'remove', keyword: string): Promise<StoreOutcome> {
  if (!canCompareAndSet(client)) throw new Error('the mailbox cannot take a conditional change (no CONDSTORE)');
  const response = await rawCommand(client, 'UID STORE', [
    { type: 'SEQUENCE', value: String(uid) },
    [
      { type: 'ATOM', value: 'UNCHANGEDSINCE' },
      { type: 'ATOM', value: modseq.toString() },
    ],
    { type: 'ATOM', value: change === 'add' ? '+FLAGS.SILENT' : '-FLAGS.SILENT' },
    [{ type: 'ATOM', value: keyword }],
  ]);
  const code = response.response.attributes?.[0]?.section?.[0]?.value;
  response.next();
  return typeof code === 'string' && code.toUpperCase() === 'MODIFIED' ? 'modified' : 'stored';
}

/**
 * One command through imapflow's own dispatch, the way its commands go: an IDLE in progress
 * is ended first (preCheck), and IDLE is re-armed after. Sent while IDLE runs, a command waits
 * behind it, and the answer it gets is not its own: two desks then both read "stored" from one race.
 */
async function rawCommand(client: ImapFlow, command: string, attributes: unknown[]): ReturnType<Exec> {
  const c = client as unknown as Internals;
  clearTimeout(c.idleStartTimer);
  try {
    if (typeof c.preCheck === 'function') await c.preCheck();
    return await c.exec(command, attributes);
  } finally {
    c.autoidle();
  }
}

interface Internals {
  exec: Exec;
  preCheck?: (() => Promise<void>) | false;
  idleStartTimer?: NodeJS.Timeout;
  autoidle(): void;
}

type Exec = (
  command: string,
  attributes: unknown[],
) => Promise<{ response: { attributes?: Array<{ section?: Array<{ value?: unknown }> }> }; next(): void }>;
