// What main found when it checked a received file (main/files/incoming-checks.ts): whether the
// content is what the name says (a warning, as JSON, or NULL) and the virus scan. checked_at
// NULL means not checked yet; the check runs after the message is stored, and again at start
// for rows it did not reach and for files the scanner could not check.
export default /* sql */ `
ALTER TABLE attachments ADD COLUMN check_warning TEXT;
ALTER TABLE attachments ADD COLUMN scan_status TEXT CHECK (scan_status IN ('clean', 'infected', 'not_scanned', 'off'));
ALTER TABLE attachments ADD COLUMN scan_detail TEXT;
ALTER TABLE attachments ADD COLUMN checked_at INTEGER;

CREATE INDEX attachments_to_check ON attachments (id) WHERE checked_at IS NULL OR scan_status IN ('not_scanned', 'off');
`;
