import type { Db } from './database';

export interface SyncState {
  uidValidity: string | null;
  lastUid: number;
}

/** How far each channel's folders have been read, so a restart continues where it stopped. */
export class SyncStateRepo {
  constructor(private readonly db: Db) {}

  get(channelId: string, mailbox: string): SyncState {
    const row = this.db
      .prepare('SELECT uid_validity AS uidValidity, last_uid AS lastUid FROM imap_sync_state WHERE channel_id = ? AND mailbox = ?')
      .get(channelId, mailbox) as { uidValidity: string | number | null; lastUid: number } | undefined;
    return row ? { uidValidity: row.uidValidity === null ? null : String(row.uidValidity), lastUid: row.lastUid } : { uidValidity: null, lastUid: 0 };
  }

  /** A new UIDVALIDITY voids the HIGHESTMODSEQ seen under the old one too. */
  save(channelId: string, mailbox: string, state: SyncState, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO imap_sync_state (channel_id, mailbox, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, mailbox) DO UPDATE SET
           highest_modseq = CASE WHEN uid_validity IS excluded.uid_validity THEN highest_modseq END,
           uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
      )
      .run(channelId, mailbox, state.uidValidity, state.lastUid, now);
  }

  /** The folder's flags are known up to this MODSEQ (CONDSTORE): later changes are read with CHANGEDSINCE. */
  highestModseq(channelId: string, mailbox: string): bigint | null {
    const value = this.db
      .prepare('SELECT highest_modseq FROM imap_sync_state WHERE channel_id = ? AND mailbox = ?')
      .pluck()
      .get(channelId, mailbox) as string | null | undefined;
    return value ? BigInt(value) : null;
  }

  saveHighestModseq(channelId: string, mailbox: string, modseq: bigint): void {
    this.db
      .prepare('UPDATE imap_sync_state SET highest_modseq = ? WHERE channel_id = ? AND mailbox = ?')
      .run(modseq.toString(), channelId, mailbox);
  }
}
