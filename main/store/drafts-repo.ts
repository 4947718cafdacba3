import type { FileProblem } from '../../common/attachment-policy';
import type { Db } from './database';

export interface DraftRow {
  id: number;
  conversationId: number;
  text: string;
  updatedAt: number;
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

/** The operator's unsent reply per conversation: saved as it is edited, so a restart loses nothing. */
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
    return this.db
      .prepare(`SELECT id, conversation_id AS conversationId, text, updated_at AS updatedAt FROM drafts WHERE conversation_id = ?`)
      .get(conversationId) as DraftRow;
  }

  get(id: number): DraftRow | undefined {
    return this.db
      .prepare(`SELECT id, conversation_id AS conversationId, text, updated_at AS updatedAt FROM drafts WHERE id = ?`)
      .get(id) as DraftRow | undefined;
  }

  setText(id: number, text: string, now = Date.now()): void {
    this.db.prepare('UPDATE drafts SET text = ?, updated_at = ? WHERE id = ?').run(text, now, id);
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

  removeFile(draftId: number, fileId: number): void {
    this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ? AND id = ?').run(draftId, fileId);
  }

  removeInvalid(draftId: number): void {
    this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ? AND problem IS NOT NULL').run(draftId);
  }

  /** After sending: the outbox holds the message now, the draft starts over. */
  clear(draftId: number, now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM draft_attachments WHERE draft_id = ?').run(draftId);
      this.db.prepare("UPDATE drafts SET text = '', updated_at = ? WHERE id = ?").run(now, draftId);
    })();
  }
}
