// `npm run compact`: a data dir from before migration 012 holds every received file twice, in
// its raw message and as a decoded blob. Each such message is scanned again (parse-fast.ts);
// where every file comes out as a range with the very key and size stored for it, the rows
// learn their ranges, and the decoded blobs, now unused, go with the next sweep, run here.
// A message the scanner cannot read plainly keeps its blobs, as the full parser stored them.
import { SWEEP_GRACE_MS, type BlobStore } from '../files/blob-store';
import type { PartRange } from '../files/derived-blob';
import { AttachmentsRepo } from '../store/attachments-repo';
import { referencedBlobKeys } from '../store/blob-references';
import type { Db } from '../store/database';
import { NO_WRITES, readPlainMessage } from './read-plain';

export interface CompactResult {
  /** Messages whose files are now served from their raw message. */
  messages: number;
  files: number;
  /** Blob files removed, and their bytes. */
  removed: number;
  bytes: number;
}

export async function compactAttachments(db: Db, blobs: BlobStore, { graceMs = SWEEP_GRACE_MS } = {}): Promise<CompactResult> {
  const attachments = new AttachmentsRepo(db);
  const candidates = db
    .prepare(
      `SELECT m.id, m.raw_blob_key AS rawKey FROM messages m
       WHERE m.raw_blob_key IS NOT NULL AND EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.source_start IS NULL)
       ORDER BY m.id`,
    )
    .all() as Array<{ id: number; rawKey: string }>;
  let messages = 0;
  let files = 0;
  for (const { id, rawKey } of candidates) {
    const found = await rangesIn(blobs.pathOf(rawKey));
    const rows = attachments.listForMessage(id);
    const same = found !== null && found.length === rows.length && found.every((f, i) => f.key === rows[i]!.blobKey && f.size === rows[i]!.size);
    if (!same) continue;
    attachments.setRanges(rows.map((row, i) => ({ attachmentId: row.id, range: found[i]!.range })));
    messages++;
    files += rows.length;
  }
  const referenced = referencedBlobKeys(db);
  const swept = await blobs.sweep((key) => referenced.has(key), new Date(Date.now() - graceMs));
  return { messages, files, ...swept };
}

/** Every file of the raw message as a range, in message order; null when it is not plainly well-formed (or unreadable). */
async function rangesIn(rawFile: string): Promise<Array<{ key: string; size: number; range: PartRange }> | null> {
  const parsed = await readPlainMessage(rawFile, NO_WRITES).catch(() => null);
  if (!parsed || parsed.attachments.some((a) => !a.range)) return null;
  return parsed.attachments.map((a) => ({ key: a.blobKey, size: a.size, range: a.range! }));
}
