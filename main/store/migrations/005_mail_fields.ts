// Incoming mail is now checked against the shared field schemas (common/mail-fields.ts) before
// it is stored, and the history's output is checked against the same ones. Rows stored before
// are brought to those shapes here, so that no old message makes its conversation unreadable:
// a media type that is not `type/subtype` becomes application/octet-stream (what a mail
// program takes for an unknown type), and an address that is empty or holds a control
// character (nobody can be answered there) becomes none.
//
// Deduplication now looks rows up by their raw bytes (raw_blob_key) on every message, and
// content_hash holds the hash of a message without its trace fields (main/mail/content-key.ts),
// computed the first time it is needed. Old rows hold the raw hash there, which is not that
// (and is raw_blob_key already), so it is cleared; nothing looks rows up by it any more.

/** An address nobody can be answered at: empty, or with a control character (NUL included). */
function noneWhenUnusable(column: string): string {
  return /* sql */ `UPDATE messages SET ${column} = NULL WHERE ${column} = ''
    OR ${column} GLOB '*[' || char(1) || '-' || char(31) || char(127) || ']*' OR instr(${column}, char(0)) > 0;`;
}

export default /* sql */ `
CREATE INDEX messages_by_raw_blob ON messages (raw_blob_key);
UPDATE messages SET content_hash = NULL;
DROP INDEX messages_by_content_hash;

UPDATE attachments SET media_type = lower(media_type) WHERE media_type <> lower(media_type);
UPDATE attachments SET media_type = 'application/octet-stream'
 WHERE media_type NOT GLOB '?*/?*' OR media_type GLOB '*/*/*' OR media_type GLOB '*[^a-z0-9!#$&^_.+/-]*'
    OR length(media_type) > 255;

${['from_address', 'to_address', 'reply_to'].map(noneWhenUnusable).join('\n')}
`;
