import type { FileProblem } from '../../common/domain/attachment';
import type { Db } from './database';

export interface DraftRow {
  id: number;
  kind: 'reply' | 'outgoing';
  /** Reply drafts only: outgoing ones get their conversation when they are sent. */
  conversationId: number | null;
  /** Outgoing drafts only: to whom, and through which channel. */
  clientId: number | null;
  channelId: string | null;
  subject: string;
  text: string;
  bcc: string[];
  /** Replies only: the address the operator chose when the client's mail has a Reply-To; null for the default. */
  replyToChoice: string | null;
  /** Replies only: the conversation's newest message when the operator started writing (null while the draft is empty). */
  baseMessageId: number | null;
  updatedAt: number;
}

type StoredDraftRow = Omit<DraftRow, 'bcc'> & { bcc: string };

export interface DraftChanges {
  text?: string;
  subject?: string;
  bcc?: string[];
}

const DRAFT_COLUMNS = `id, kind, conversation_id AS conversationId, client_id AS clientId, channel_id AS channelId,
  subject, text, bcc, reply_to_choice AS replyToChoice, base_message_id AS baseMessageId, updated_at AS updatedAt`;

function draftFromRow(row: StoredDraftRow | undefined): DraftRow | undefined {
  return row && { ...row, bcc: JSON.parse(row.bcc) as string[] };
}

export interface DraftFile {
  id: number;
  fileName: string;
  mediaType: string | null;
  size: number;
  /** Null for an invalid file: only its name, size and reason are kept. */
  blobKey: string | null;
  problem: FileProblem | null;
  attachedAt: number;
}

interface DraftFileRow extends Omit<DraftFile, 'problem'> {
  problem: string | null;
}

/**
 * The operator's unsent messages: a reply per conversation, and an outgoing message per client
 * and channel (the new-message window). Saved as they are edited, so a restart loses nothing.
 */
export class DraftsRepo {
  constructor(private readonly db: Db) {}

  /** The reply draft of a conversation, created empty the first time. */
  replyDraft(conversationId: number, now = Date.now()): DraftRow {
    this.db
      .prepare(
        `INSERT INTO drafts (kind, conversation_id, updated_at) VALUES ('reply', ?, ?)
         ON CONFLICT (conversation_id) DO NOTHING`,
      )
      .run(conversationId, now);
    return draftFromRow(this.db.prepare(`SELECT ${DRAFT_COLUMNS} FROM drafts WHERE conversation_id = ?`).get(conversationId) as StoredDraftRow)!;
  }

  /** The outgoing draft to this client through this channel, created empty the first time. */
  outgoingDraft(clientId: number, channelId: string, now = Date.now()): DraftRow {
    const existing = this.db
      .prepare(`SELECT ${DRAFT_COLUMNS} FROM drafts WHERE kind = 'outgoing' AND client_id = ? AND channel_id = ? ORDER BY id LIMIT 1`)
      .get(clientId, channelId) as StoredDraftRow | undefined;
    if (existing) return draftFromRow(existing)!;
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO drafts (kind, client_id, channel_id, updated_at) VALUES ('outgoing', ?, ?, ?)`)
      .run(clientId, channelId, now);
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): DraftRow | undefined {
    return draftFromRow(this.db.prepare(`SELECT ${DRAFT_COLUMNS} FROM drafts WHERE id = ?`).get(id) as StoredDraftRow | undefined);
  }

  update(id: number, changes: DraftChanges, now = Date.now()): void {
    this.db
      .prepare(
        `UPDATE drafts SET text = coalesce(@text, text), subject = coalesce(@subject, subject),
           bcc = coalesce(@bcc, bcc), updated_at = @now WHERE id = @id`,
      )
      .run({
        id,
        now,
        text: changes.text ?? null,
        subject: changes.subject ?? null,
        bcc: changes.bcc ? JSON.stringify(changes.bcc) : null,
      });
  }

  /** Where the operator started writing from (null: the draft is empty again). */
  setBase(id: number, baseMessageId: number | null): void {
    this.db.prepare('UPDATE drafts SET base_message_id = ? WHERE id = ?').run(baseMessageId, id);
  }

  /** Replies with something written or attached: their operator is replying (claimed again after a restart). */
  replyingConversations(): number[] {
    return this.db
      .prepare(`SELECT conversation_id FROM drafts WHERE kind = 'reply' AND base_message_id IS NOT NULL ORDER BY id`)
      .pluck()
      .all() as number[];
  }

  /** The reply's recipient as the operator chose it (null: back to the default). */
  chooseRecipient(id: number, address: string | null, now = Date.now()): void {
    this.db.prepare('UPDATE drafts SET reply_to_choice = ?, updated_at = ? WHERE id = ?').run(address, now, id);
  }

  addFile(draftId: number, file: Omit<DraftFile, 'id'>): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO draft_attachments (draft_id, file_name, media_type, size, sha256, blob_key, problem, attached_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(draftId, file.fileName, file.mediaType, file.size, file.blobKey, file.blobKey, file.problem ? JSON.stringify(file.problem) : null, file.attachedAt);
    return Number(lastInsertRowid);
  }

  /** In the order they were attached (the id grows with every file). */
  files(draftId: number): DraftFile[] {
    const rows = this.db
      .prepare(
        `SELECT id, file_name AS fileName, media_type AS mediaType, size, blob_key AS blobKey, problem, attached_at AS attachedAt
         FROM draft_attachments WHERE draft_id = ? ORDER BY id`,
      )
      .all(draftId) as DraftFileRow[];
    return rows.map((r) => ({ ...r, problem: r.problem ? (JSON.parse(r.problem) as FileProblem) : null }));
  }

  /** A file checked again (the virus check was back): its new verdict, and its bytes kept only if still wanted. */
  setFileProblem(fileId: number, problem: FileProblem | null, blobKey: string | null): void {
    this.db
      .prepare('UPDATE draft_attachments SET problem = ?, blob_key = ?, sha256 = ? WHERE id = ?')
      .run(problem ? JSON.stringify(problem) : null, blobKey, blobKey, fileId);
  }

  removeFile(draftId: number, fileId: number): void {
    this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ? AND id = ?').run(draftId, fileId);
  }

  removeInvalid(draftId: number): void {
    this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ? AND problem IS NOT NULL').run(draftId);
  }

  /** An outgoing draft once sent: the window it belonged to is closed. */
  delete(draftId: number): void {
    this.db.prepare('DELETE FROM drafts WHERE id = ?').run(draftId);
  }

  /**
   * After sending a reply: the outbox holds the message now, the draft starts over — its
   * recipient too, so every reply is sent to the client's own address unless chosen again.
   */
  clear(draftId: number, now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ?').run(draftId);
      this.db.prepare("UPDATE drafts SET text = '', reply_to_choice = NULL, base_message_id = NULL, updated_at = ? WHERE id = ?").run(now, draftId);
    })();
  }
}
