import type { ContentProblem, ScanVerdict } from '../../common/attachment-policy';
import type { AttachmentCheck } from '../../preload/contract';
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
  /** A client's file (checked by main/files/incoming-checks.ts), not the operator's own. */
  incoming: boolean;
  /** What main's check found; null until checked (and for the operator's own files). */
  check: AttachmentCheck | null;
}

/** The check columns (migration 006) as a messages or attachments query selects them. */
export interface CheckColumns {
  checkWarning: string | null;
  scanStatus: ScanVerdict['status'] | null;
  scanDetail: string | null;
}

export const CHECK_COLUMNS = 'check_warning AS checkWarning, scan_status AS scanStatus, scan_detail AS scanDetail';

export function checkOf({ checkWarning, scanStatus, scanDetail }: CheckColumns): AttachmentCheck | null {
  if (scanStatus === null) return null;
  const detail = scanDetail ?? '';
  const scan: ScanVerdict =
    scanStatus === 'infected'
      ? { status: 'infected', signature: detail }
      : scanStatus === 'not_scanned'
        ? { status: 'not_scanned', reason: detail }
        : { status: scanStatus };
  return { warning: checkWarning ? (JSON.parse(checkWarning) as ContentProblem) : null, scan };
}

interface AttachmentRow extends Omit<AttachmentRecord, 'inline' | 'incoming' | 'check'>, CheckColumns {
  inline: number;
  incoming: number;
}

const COLUMNS = `id, message_id AS messageId, file_name AS fileName, media_type AS mediaType, size,
  blob_key AS blobKey, inline, (SELECT m.direction = 'in' FROM messages m WHERE m.id = attachments.message_id) AS incoming, ${CHECK_COLUMNS}`;

function toRecord({ inline, incoming, checkWarning, scanStatus, scanDetail, ...row }: AttachmentRow): AttachmentRecord {
  return { ...row, inline: inline === 1, incoming: incoming === 1, check: checkOf({ checkWarning, scanStatus, scanDetail }) };
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

  saveCheck(attachmentId: number, check: AttachmentCheck, at: number): void {
    const { scan } = check;
    const detail = scan.status === 'infected' ? scan.signature : scan.status === 'not_scanned' ? scan.reason : null;
    this.db
      .prepare('UPDATE attachments SET check_warning = ?, scan_status = ?, scan_detail = ?, checked_at = ? WHERE id = ?')
      .run(check.warning ? JSON.stringify(check.warning) : null, scan.status, detail, at, attachmentId);
  }

  /**
   * Received messages with files to check: never checked, not scanned (the scanner was away),
   * or — once a scanner is configured — checked while there was none. Oldest first.
   */
  messagesToCheck(scannerEnabled: boolean): number[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT a.message_id AS id FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE m.direction = 'in'
           AND (a.checked_at IS NULL OR a.scan_status = 'not_scanned' OR (@scannerEnabled AND a.scan_status = 'off'))
         ORDER BY a.message_id`,
      )
      .all({ scannerEnabled: scannerEnabled ? 1 : 0 }) as Array<{ id: number }>;
    return rows.map((r) => r.id);
  }
}
