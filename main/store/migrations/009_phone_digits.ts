// Any five or more consecutive digits of a phone number find its client ("555-44-33", the last
// seven digits, digits from the middle), not only the start of the number: a trigram index of
// phone_norm (the number's digits, a Russian one reduced to its national ten), built like the
// names' in 003 and kept in step the same way, so a fragment costs a few index reads however
// many clients there are.
export default /* sql */ `
CREATE VIRTUAL TABLE clients_phone_fts USING fts5 (
  phone_norm, content = 'clients', content_rowid = 'id', tokenize = 'trigram'
);

-- Clients stored before this migration. Rows whose phone_norm is still NULL (written before 003
-- and not yet backfilled) get indexed by the update trigger when the backfill fills them in.
INSERT INTO clients_phone_fts (rowid, phone_norm) SELECT id, phone_norm FROM clients WHERE phone_norm IS NOT NULL;

-- A row that was never indexed must not be removed from the index (that would corrupt it): hence the WHEN conditions.
CREATE TRIGGER clients_phone_fts_insert AFTER INSERT ON clients WHEN new.phone_norm IS NOT NULL BEGIN
  INSERT INTO clients_phone_fts (rowid, phone_norm) VALUES (new.id, new.phone_norm);
END;
CREATE TRIGGER clients_phone_fts_delete AFTER DELETE ON clients WHEN old.phone_norm IS NOT NULL BEGIN
  INSERT INTO clients_phone_fts (clients_phone_fts, rowid, phone_norm) VALUES ('delete', old.id, old.phone_norm);
END;
CREATE TRIGGER clients_phone_fts_update_old AFTER UPDATE OF phone_norm ON clients WHEN old.phone_norm IS NOT NULL BEGIN
  INSERT INTO clients_phone_fts (clients_phone_fts, rowid, phone_norm) VALUES ('delete', old.id, old.phone_norm);
END;
CREATE TRIGGER clients_phone_fts_update_new AFTER UPDATE OF phone_norm ON clients WHEN new.phone_norm IS NOT NULL BEGIN
  INSERT INTO clients_phone_fts (rowid, phone_norm) VALUES (new.id, new.phone_norm);
END;
`;
