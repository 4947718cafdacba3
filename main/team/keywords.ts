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
 * loses with MODIFIED, and the answers tell the desks' claims apart (StoreOutcome).
 */
export const DESK_SLOTS = 8;
const SLOT = /^\$PostdeskDesk([0-7])$/i;

export function slotKeyword(slot: number): string {
  return `$PostdeskDesk${slot}`;
}

/** The desk slots on a message (more than one only while two claims the server took at once are settled). */
export function slotsOf(flags: Set<string>): number[] {
  return [...flags].flatMap((flag) => {
    const slot = SLOT.exec(flag);
    return slot ? [Number(slot[1])] : [];
  });
}

/**
 * The desk slot a message's claim carries: null without REPLYING; -1 for a claim without a slot,
 * or with several (two desks' claims the server took at once, while they settle which stays).
 */
export function claimSlotOf(flags: Set<string>): number | null {
  if (![...flags].some((f) => f.toLowerCase() === REPLYING.toLowerCase())) return null;
  const slots = slotsOf(flags);
  return slots.length === 1 ? slots[0]! : -1;
}

/**
 * What the server answered a conditional STORE. 'stored' only when it made the change, with the
 * message's flags as it answered them after that (only the server's answer says a desk won a
 * race: a STORE it answers OK may have changed nothing).
 *
 * And the answer is needed for one more thing: Dovecot (2.3) now and then takes two racing
 * STOREs … UNCHANGEDSINCE on one message. Its check is skipped when UNCHANGEDSINCE equals the
 * highest MODSEQ the session has seen (as it does for the newest message changed), so another
 * session's STORE that commits between the start of this one and its commit slips past it. Both
 * claims are then on the message. The later STORE's answer always shows the earlier one's slot;
 * the earlier one's shows its own alone unless the later had landed by then. A desk wins only
 * with its slot alone in its answer; one that sees another slot beside its own gives way
 * (claims.ts), and when both see both, the one whose giving way loses the race keeps the claim.
 */
export type StoreOutcome =
  | { status: 'stored'; flags: Set<string>; modseq: bigint | null }
  /** OK, but nothing changed: the flags already were so, and the answer says nothing of who made them so. */
  | { status: 'unchanged' }
  /** The message changed after the MODSEQ given: nothing was written. */
  | { status: 'modified' };

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
 * `UID STORE uid (UNCHANGEDSINCE modseq) ±FLAGS (flags)`, and what the server answered
 * (StoreOutcome). Not .SILENT: the untagged FETCH the server sends for a change it made carries
 * the flags after it, and a STORE that changed nothing gets none.
 *
 * Sent by hand: imapflow's messageFlagsAdd resolves true for the loser of a race as well (it
 * drops the MODIFIED response code), and with CONDSTORE off it would quietly send a STORE
 * without the condition. Callers check canCompareAndSet first.
 */
export async function storeIfUnchanged(client: ImapFlow, uid: number, modseq: bigint, change: 'add' | 'remove', flags: string[]): Promise<StoreOutcome> {
  if (!canCompareAndSet(client)) throw new Error('the mailbox cannot take a conditional change (no CONDSTORE)');
  const item = change === 'add' ? '+FLAGS' : '-FLAGS';
  const answer: { after?: { flags: Set<string>; modseq: bigint | null } } = {};
  const c = client as unknown as Internals;
  const response = await rawCommand(
    client,
    'UID STORE',
    [
      { type: 'SEQUENCE', value: String(uid) },
      [
        { type: 'ATOM', value: 'UNCHANGEDSINCE' },
        { type: 'ATOM', value: modseq.toString() },
      ],
      { type: 'ATOM', value: item },
      flags.map((value) => ({ type: 'ATOM', value })),
    ],
    {
      FETCH: async (untagged) => {
        const row = fetchRow(untagged);
        // This message's flags after the change; other messages' changes go where imapflow sends them.
        if (row.uid === uid && row.flags) answer.after = { flags: row.flags, modseq: row.modseq };
        else await c.untaggedFetch?.(untagged);
      },
    },
  );
  const code = response.response.attributes?.[0]?.section?.[0]?.value;
  response.next();
  if (typeof code === 'string' && code.toUpperCase() === 'MODIFIED') return { status: 'modified' };
  return answer.after ? { status: 'stored', ...answer.after } : { status: 'unchanged' };
}

/** The text of one parsed token ('' for a list or nothing). */
function token(value: unknown): string {
  return value && typeof value === 'object' && !Array.isArray(value) && 'value' in value ? String((value as { value: unknown }).value) : '';
}

/** UID, FLAGS and MODSEQ of an untagged `n FETCH (…)`, as far as it has them. */
function fetchRow(untagged: Untagged): { uid: number | null; flags: Set<string> | null; modseq: bigint | null } {
  const row: { uid: number | null; flags: Set<string> | null; modseq: bigint | null } = { uid: null, flags: null, modseq: null };
  const items = untagged.attributes?.[1];
  if (!Array.isArray(items)) return row;
  for (let i = 0; i + 1 < items.length; i += 2) {
    const name = token(items[i]).toUpperCase();
    const value: unknown = items[i + 1];
    if (name === 'UID' && /^\d+$/.test(token(value))) row.uid = Number(token(value));
    if (name === 'FLAGS' && Array.isArray(value)) row.flags = new Set(value.map(token).filter((f) => f !== ''));
    if (name === 'MODSEQ' && Array.isArray(value) && /^\d+$/.test(token(value[0]))) row.modseq = BigInt(token(value[0]));
  }
  return row;
}

/**
 * One command through imapflow's own dispatch, the way its commands go: an IDLE in progress
 * is ended first (preCheck), and IDLE is re-armed after. Sent while IDLE runs, a command waits
 * behind it, and the answer it gets is not its own: two desks then both read "stored" from one race.
 */
async function rawCommand(client: ImapFlow, command: string, attributes: unknown[], untagged: Record<string, (untagged: Untagged) => Promise<void>>): ReturnType<Exec> {
  const c = client as unknown as Internals;
  clearTimeout(c.idleStartTimer);
  try {
    if (typeof c.preCheck === 'function') await c.preCheck();
    return await c.exec(command, attributes, { untagged });
  } finally {
    c.autoidle();
  }
}

interface Untagged {
  attributes?: unknown[];
}

interface Internals {
  exec: Exec;
  /** imapflow's own handling of an untagged FETCH (the 'flags' event). */
  untaggedFetch?: (untagged: Untagged) => Promise<void>;
  preCheck?: (() => Promise<void>) | false;
  idleStartTimer?: NodeJS.Timeout;
  autoidle(): void;
}

type Exec = (
  command: string,
  attributes: unknown[],
  options: { untagged: Record<string, (untagged: Untagged) => Promise<void>> },
) => Promise<{ response: { attributes?: Array<{ section?: Array<{ value?: unknown }> }> }; next(): void }>;
