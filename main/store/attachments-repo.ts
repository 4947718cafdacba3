import type { AttachmentCheck, ContentProblem, ScanVerdict } from '../../common/domain/attachment';
import type { DerivedBlob, PartRange } from '../files/derived-blob';
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

/** The range columns (migration 012) of a file kept as a range of its raw message; all null for a blob of its own. */
export const RANGE_COLUMNS = 'source_start, source_end, source_encoding, source_line_chars, source_line_break';

export function rangeValues(range: PartRange | undefined): [number | null, number | null, string | null, number | null, number | null] {
  return [range?.start ?? null, range?.end ?? null, range?.encoding ?? null, range?.line?.chars ?? null, range?.line?.lineBreak ?? null];
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

  /** Where a key's bytes can be decoded from, when a received message holds them as a range (migration 012). */
  derivedBlob(key: string): DerivedBlob | undefined {
    const row = this.db
      .prepare(
        `SELECT m.raw_blob_key AS rawKey, a.size, a.source_start AS start, a.source_end AS "end", a.source_encoding AS encoding,
           a.source_line_chars AS lineChars, a.source_line_break AS lineBreak
         FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE a.blob_key = ? AND a.source_start IS NOT NULL AND m.raw_blob_key IS NOT NULL LIMIT 1`,
      )
      .get(key) as (Omit<DerivedBlob, 'line'> & { lineChars: number | null; lineBreak: 1 | 2 | null }) | undefined;
    if (!row) return undefined;
    const { lineChars, lineBreak, ...range } = row;
    return { ...range, line: lineChars !== null && lineBreak !== null ? { chars: lineChars, lineBreak } : null };
  }

  /** Files found, after all, to be ranges of their raw message (npm run compact): their decoded copies are then unused. */
  setRanges(ranges: ReadonlyArray<{ attachmentId: number; range: PartRange }>): void {
    const update = this.db.prepare(
      `UPDATE attachments SET (${RANGE_COLUMNS}) = (?, ?, ?, ?, ?) WHERE id = ?`,
    );
    this.db.transaction(() => {
      for (const { attachmentId, range } of ranges) update.run(...rangeValues(range), attachmentId);
    })();
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
