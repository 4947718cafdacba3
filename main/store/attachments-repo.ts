import type { Db } from './database';

/** One stored attachment with the key of its bytes in the blob store. */
export interface AttachmentRecord {
  id: number;
  messageId: number;
  fileName: string;
  mediaType: string;
  size: number;
  blobKey: string;
  /** Shown inside the message body (cid:), not offered in "save all". */
  inline: boolean;
}

interface AttachmentRow extends Omit<AttachmentRecord, 'inline'> {
  inline: number;
}

const COLUMNS = `id, message_id AS messageId, file_name AS fileName, media_type AS mediaType, size,
  blob_key AS blobKey, inline`;

function toRecord({ inline, ...row }: AttachmentRow): AttachmentRecord {
  return { ...row, inline: inline === 1 };
}

export class AttachmentsRepo {
  constructor(private readonly db: Db) {}

  /** In the order the sender attached them. */
  listForMessage(messageId: number): AttachmentRecord[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM attachments WHERE message_id = ? ORDER BY position`)
      .all(messageId) as AttachmentRow[];
    return rows.map(toRecord);
  }

  get(attachmentId: number): AttachmentRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE id = ?`).get(attachmentId) as AttachmentRow | undefined;
    return row ? toRecord(row) : undefined;
  }
}
