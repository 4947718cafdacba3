import type { Db } from './database';

/**
 * Every blob a row points to: attachments of messages and drafts, raw messages (Save original),
 * and the bytes of sent messages still waiting to be copied to the Sent folder. A received file
 * kept as a range of its raw message (migration 012) has no blob of its own: a decoded copy of
 * it, left from before, is no longer needed.
 */
export function referencedBlobKeys(db: Db): Set<string> {
  const rows = db
    .prepare(
      `SELECT blob_key AS key FROM attachments WHERE source_start IS NULL
       UNION SELECT blob_key FROM draft_attachments WHERE blob_key IS NOT NULL
       UNION SELECT raw_blob_key FROM messages WHERE raw_blob_key IS NOT NULL
       UNION SELECT sent_copy_blob FROM messages WHERE sent_copy_blob IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
  return new Set(rows);
}
