// What this desk knows of the team's state on the server: the keywords of the channel's INBOX
// messages as last read, and its own Complete / re-open waiting to reach the server. A cache:
// the server's keywords are the truth, read again from scratch when the cache is new.
import type { Db } from './database';

/** An INBOX message with the team's marks as this desk last saw them on the server. */
export interface MarkedMessage {
  id: number;
  conversationId: number;
  uid: number;
  /** $PostdeskDone: null until the message's keywords were read once. */
  doneMark: 0 | 1 | null;
  /** The claiming desk's slot ($PostdeskReplying with $PostdeskDesk<n>): null for no claim, -1 for one without a slot. */
  claimSlot: number | null;
  modseq: bigint | null;
}

/** This desk's Complete (done) or re-open (not done) of a conversation, not yet on the server. */
export interface TeamChange {
  conversationId: number;
  /** The message the keyword goes on: the client's newest when the operator acted. */
  messageId: number;
  done: boolean;
  /** The keyword's state and the message's MODSEQ as this desk knew them then. */
  baseDone: 0 | 1 | null;
  baseModseq: bigint | null;
}

interface MarkedRow extends Omit<MarkedMessage, 'modseq'> {
  modseq: string | null;
}

const MARKED_COLUMNS = `m.id, m.conversation_id AS conversationId, m.imap_uid AS uid, m.done_mark AS doneMark,
  m.claim_slot AS claimSlot, m.imap_modseq AS modseq`;

function marked(row: MarkedRow | undefined): MarkedMessage | undefined {
  return row && { ...row, modseq: row.modseq === null ? null : BigInt(row.modseq) };
}

export class TeamRepo {
  constructor(private readonly db: Db) {}

  /** The channel's INBOX message with this UID. */
  byUid(channelId: string, uid: number): MarkedMessage | undefined {
    return marked(
      this.db
        .prepare(
          `SELECT ${MARKED_COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.imap_uid = ? AND c.channel_id = ? AND m.direction = 'in'`,
        )
        .get(uid, channelId) as MarkedRow | undefined,
    );
  }

  byId(id: number): MarkedMessage | undefined {
    return marked(this.db.prepare(`SELECT ${MARKED_COLUMNS} FROM messages m WHERE m.id = ? AND m.imap_uid IS NOT NULL`).get(id) as MarkedRow | undefined);
  }

  /**
   * The message the team's marks of a conversation go on: the client's newest mail that is in
   * the INBOX (mail from the channel's own address that threaded in is not the client's).
   */
  anchor(conversationId: number): MarkedMessage | undefined {
    return marked(
      this.db
        .prepare(
          `SELECT ${MARKED_COLUMNS} FROM messages m JOIN conversations c ON c.id = m.conversation_id
             JOIN channels ch ON ch.id = c.channel_id
           WHERE m.conversation_id = ? AND m.direction = 'in' AND m.imap_uid IS NOT NULL
             AND lower(coalesce(m.from_address, '')) <> lower(ch.address)
           ORDER BY m.created_at DESC, m.id DESC LIMIT 1`,
        )
        .get(conversationId) as MarkedRow | undefined,
    );
  }

  setMarks(id: number, marks: { done: boolean; claimSlot: number | null; modseq: bigint | null }): void {
    this.db
      .prepare('UPDATE messages SET done_mark = ?, claim_slot = ?, imap_modseq = coalesce(?, imap_modseq) WHERE id = ?')
      .run(marks.done ? 1 : 0, marks.claimSlot, marks.modseq?.toString() ?? null, id);
  }

  /** The channel's INBOX messages carrying the claim keyword, as last read. */
  claimed(channelId: string): Array<{ uid: number; conversationId: number; slot: number; modseq: bigint | null }> {
    const rows = this.db
      .prepare(
        `SELECT m.imap_uid AS uid, m.conversation_id AS conversationId, m.claim_slot AS slot, m.imap_modseq AS modseq FROM messages m
           JOIN conversations c ON c.id = m.conversation_id
         WHERE m.claim_slot IS NOT NULL AND m.imap_uid IS NOT NULL AND c.channel_id = ?`,
      )
      .all(channelId) as Array<{ uid: number; conversationId: number; slot: number; modseq: string | null }>;
    return rows.map((r) => ({ ...r, modseq: r.modseq === null ? null : BigInt(r.modseq) }));
  }

  /** A new UIDVALIDITY: no UID of the folder holds any more; each is learnt again as its message is read. */
  forgetUids(channelId: string): void {
    this.db
      .prepare(
        `UPDATE messages SET imap_uid = NULL, imap_modseq = NULL
         WHERE direction = 'in' AND conversation_id IN (SELECT id FROM conversations WHERE channel_id = ?)`,
      )
      .run(channelId);
  }

  /** The operator's latest intent replaces an earlier one not yet on the server. */
  queueChange(change: TeamChange, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO team_changes (conversation_id, message_id, done, base_done, base_modseq, created_at)
         VALUES (@conversationId, @messageId, @done, @baseDone, @baseModseq, @now)
         ON CONFLICT (conversation_id) DO UPDATE SET message_id = excluded.message_id, done = excluded.done,
           base_done = excluded.base_done, base_modseq = excluded.base_modseq, created_at = excluded.created_at`,
      )
      .run({ ...change, done: change.done ? 1 : 0, baseModseq: change.baseModseq?.toString() ?? null, now });
  }

  changes(channelId: string): TeamChange[] {
    const rows = this.db
      .prepare(
        `SELECT t.conversation_id AS conversationId, t.message_id AS messageId, t.done, t.base_done AS baseDone,
           t.base_modseq AS baseModseq
         FROM team_changes t JOIN conversations c ON c.id = t.conversation_id
         WHERE c.channel_id = ? ORDER BY t.created_at`,
      )
      .all(channelId) as Array<Omit<TeamChange, 'done' | 'baseModseq'> & { done: number; baseModseq: string | null }>;
    return rows.map((r) => ({ ...r, done: r.done === 1, baseModseq: r.baseModseq === null ? null : BigInt(r.baseModseq) }));
  }

  hasChange(conversationId: number): boolean {
    return this.db.prepare('SELECT 1 FROM team_changes WHERE conversation_id = ?').get(conversationId) !== undefined;
  }

  dropChange(conversationId: number): void {
    this.db.prepare('DELETE FROM team_changes WHERE conversation_id = ?').run(conversationId);
  }
}
