// The team's marks on incoming messages in the shared INBOX: a small fixed set of IMAP keywords
// (Maildir keeps only 26 keyword names per folder, so never one per operator), and the one
// conditional STORE they are written with.
import type { ImapFlow } from 'imapflow';

/** On a conversation's newest incoming message: the conversation is Completed. */
export const DONE = '$PostdeskDone';
/** On a message of the conversation: an operator is writing a reply (who: the desks' heartbeats). */
export const REPLYING = '$PostdeskReplying';

/**
 * Beside REPLYING, the claiming desk's slot: $PostdeskDesk0 … $PostdeskDesk7, one per live desk
 * (desk-board.ts picks it). Not to say who (the heartbeats say that) but to make every claim a
 * real change: Dovecot answers OK to a conditional STORE that adds a keyword another session
 * has just added (nothing to change, so nothing to conflict), and two desks racing with the same
 * keyword could both read "stored". With their own slot in it, the second one is a change, and
 * loses with MODIFIED.
 */
export const DESK_SLOTS = 8;
const SLOT = /^\$PostdeskDesk([0-7])$/i;

export function slotKeyword(slot: number): string {
  return `$PostdeskDesk${slot}`;
}

/** The desk slot a message's claim carries: null without REPLYING, -1 for a claim without a slot. */
export function claimSlotOf(flags: Set<string>): number | null {
  if (![...flags].some((f) => f.toLowerCase() === REPLYING.toLowerCase())) return null;
  for (const flag of flags) {
    const slot = SLOT.exec(flag);
    if (slot) return Number(slot[1]);
  }
  return -1;
}

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
 * `UID STORE uid (UNCHANGEDSINCE modseq) ±FLAGS (flags)` (or `FLAGS`, to replace them all):
 * 'stored' when the server took it, 'modified' when the message changed after `modseq` and
 * nothing was written. A STORE that changes nothing may be 'stored' whatever happened meanwhile
 * (see the desk slots above).
 *
 * Sent by hand: imapflow's messageFlagsAdd resolves true for the loser of a race as well (it
 * drops the MODIFIED response code), and with CONDSTORE off it would quietly send a STORE
 * without the condition. Callers check canCompareAndSet first.
 */
export async function storeIfUnchanged(client: ImapFlow, uid: number, modseq: bigint, change: 'add' | 'remove' | 'set', flags: string[]): Promise<StoreOutcome> {
  if (!canCompareAndSet(client)) throw new Error('the mailbox cannot take a conditional change (no CONDSTORE)');
  const item = { add: '+FLAGS.SILENT', remove: '-FLAGS.SILENT', set: 'FLAGS.SILENT' }[change];
  const response = await rawCommand(client, 'UID STORE', [
    { type: 'SEQUENCE', value: String(uid) },
    [
      { type: 'ATOM', value: 'UNCHANGEDSINCE' },
      { type: 'ATOM', value: modseq.toString() },
    ],
    { type: 'ATOM', value: item },
    // \Recent belongs to the server: it cannot be stored.
    flags.filter((f) => f !== '\\Recent').map((value) => ({ type: 'ATOM', value })),
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
