// Forward-only: a released migration is never edited; a change of schema is a new file.
export default /* sql */ `
CREATE TABLE channels (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE clients (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL,
  phone               TEXT,
  email               TEXT,
  external_id         TEXT,
  messenger_username  TEXT,
  created_at          INTEGER NOT NULL
);
CREATE INDEX clients_email ON clients (lower(email));
CREATE INDEX clients_external_id ON clients (external_id);

CREATE TABLE conversations (
  id               INTEGER PRIMARY KEY,
  client_id        INTEGER NOT NULL REFERENCES clients (id),
  channel_id       TEXT NOT NULL REFERENCES channels (id),
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed')),
  unread           INTEGER NOT NULL DEFAULT 0,
  last_message_at  INTEGER,
  created_at       INTEGER NOT NULL,
  UNIQUE (client_id, channel_id)
);
CREATE INDEX conversations_by_status ON conversations (status, last_message_at DESC);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  conversation_id  INTEGER NOT NULL REFERENCES conversations (id),
  direction        TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  status           TEXT NOT NULL CHECK (status IN ('received', 'queued', 'sending', 'sent', 'failed')),
  from_address     TEXT,
  from_name        TEXT,
  to_address       TEXT,
  reply_to         TEXT,
  bcc              TEXT NOT NULL DEFAULT '[]',
  subject          TEXT NOT NULL DEFAULT '',
  text             TEXT,
  html             TEXT,
  message_id       TEXT,
  in_reply_to      TEXT,
  references_ids   TEXT,
  content_hash     TEXT,
  raw_blob_key     TEXT,
  problems         TEXT NOT NULL DEFAULT '[]',
  error            TEXT,
  imap_uid         INTEGER,
  sent_at          INTEGER,
  created_at       INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);
CREATE INDEX messages_by_message_id ON messages (message_id);
CREATE INDEX messages_by_content_hash ON messages (content_hash);
CREATE INDEX messages_by_status ON messages (status) WHERE status IN ('queued', 'sending');

CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  file_name   TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  blob_key    TEXT NOT NULL,
  content_id  TEXT,
  inline      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (message_id, position)
);

CREATE TABLE drafts (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('reply', 'outgoing')),
  conversation_id  INTEGER UNIQUE REFERENCES conversations (id),
  client_id        INTEGER REFERENCES clients (id),
  channel_id       TEXT REFERENCES channels (id),
  subject          TEXT NOT NULL DEFAULT '',
  text             TEXT NOT NULL DEFAULT '',
  bcc              TEXT NOT NULL DEFAULT '[]',
  updated_at       INTEGER NOT NULL
);

CREATE TABLE draft_attachments (
  id           INTEGER PRIMARY KEY,
  draft_id     INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  file_name    TEXT NOT NULL,
  media_type   TEXT,
  size         INTEGER NOT NULL,
  sha256       TEXT,
  blob_key     TEXT,
  problem      TEXT,
  attached_at  INTEGER NOT NULL
);

CREATE TABLE imap_sync_state (
  channel_id    TEXT NOT NULL REFERENCES channels (id),
  mailbox       TEXT NOT NULL,
  uid_validity  INTEGER,
  last_uid      INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (channel_id, mailbox)
);
`;
