// A received message's attachment is stored as the byte range of its body in the raw message
// (main/files/derived-blob.ts) instead of a second, decoded copy. Rows from before keep their
// decoded blob (source_start NULL) and are served from it; `npm run compact` turns them into
// ranges and removes the copies.
export default /* sql */ `
ALTER TABLE attachments ADD COLUMN source_start INTEGER CHECK (source_start >= 0);
ALTER TABLE attachments ADD COLUMN source_end INTEGER CHECK (source_end >= source_start);
ALTER TABLE attachments ADD COLUMN source_encoding TEXT CHECK (source_encoding IN ('base64', 'quoted-printable', 'identity'));
ALTER TABLE attachments ADD COLUMN source_line_chars INTEGER CHECK (source_line_chars > 0 AND source_line_chars % 4 = 0);
ALTER TABLE attachments ADD COLUMN source_line_break INTEGER CHECK (source_line_break IN (1, 2));
CREATE INDEX attachments_by_blob ON attachments (blob_key);
`;
