// "Find any client": normalised copies of the searchable attributes, each behind an index, so a
// search is a handful of index probes whatever the number of clients. SQL cannot normalise the
// way common/client-search.ts does (Cyrillic case, «ё», phone writings), so the columns are
// written by ClientsRepo and rows older than this migration are filled by
// ClientsRepo.backfillSearchColumns() when the database is opened.
export default /* sql */ `
ALTER TABLE clients ADD COLUMN name_norm TEXT;
ALTER TABLE clients ADD COLUMN phone_norm TEXT;
ALTER TABLE clients ADD COLUMN email_norm TEXT;
ALTER TABLE clients ADD COLUMN external_id_norm TEXT;
ALTER TABLE clients ADD COLUMN username_norm TEXT;

-- Exact and prefix (range) lookups. name_norm rides along in each index so that the matches of
-- a lookup can be put in name order from the index alone; the name index gives name order itself.
CREATE INDEX clients_name_norm ON clients (name_norm);
CREATE INDEX clients_phone_norm ON clients (phone_norm, name_norm);
CREATE INDEX clients_email_norm ON clients (email_norm, name_norm);
CREATE INDEX clients_external_id_norm ON clients (external_id_norm, name_norm);
CREATE INDEX clients_username_norm ON clients (username_norm, name_norm);

-- Substring search on names ("иван" inside "петров иван") needs an index of trigrams; the table
-- holds no copy of the text (content=clients), only the index, kept in step by the triggers.
CREATE VIRTUAL TABLE clients_name_fts USING fts5 (
  name_norm, content = 'clients', content_rowid = 'id', tokenize = 'trigram'
);

-- Rows whose name_norm is still NULL (not yet backfilled) were never indexed: removing them
-- from the index would corrupt it, hence the WHEN conditions.
CREATE TRIGGER clients_name_fts_insert AFTER INSERT ON clients WHEN new.name_norm IS NOT NULL BEGIN
  INSERT INTO clients_name_fts (rowid, name_norm) VALUES (new.id, new.name_norm);
END;
CREATE TRIGGER clients_name_fts_delete AFTER DELETE ON clients WHEN old.name_norm IS NOT NULL BEGIN
  INSERT INTO clients_name_fts (clients_name_fts, rowid, name_norm) VALUES ('delete', old.id, old.name_norm);
END;
CREATE TRIGGER clients_name_fts_update_old AFTER UPDATE OF name_norm ON clients WHEN old.name_norm IS NOT NULL BEGIN
  INSERT INTO clients_name_fts (clients_name_fts, rowid, name_norm) VALUES ('delete', old.id, old.name_norm);
END;
CREATE TRIGGER clients_name_fts_update_new AFTER UPDATE OF name_norm ON clients WHEN new.name_norm IS NOT NULL BEGIN
  INSERT INTO clients_name_fts (rowid, name_norm) VALUES (new.id, new.name_norm);
END;
`;
