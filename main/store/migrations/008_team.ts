// A team on one mailbox (issue 11): the mail server is the shared state, this file its cache.
// - Who answered: the operator's name, and the desk (an id per data dir) that sent it.
// - The Sent-folder copy of what this desk sent: 'pending' from the moment the server accepted
//   the message until the copy is appended ('done'), with the exact bytes kept meanwhile, so a
//   desk killed in between appends them on its next start.
// - The team's keywords on incoming messages as last seen on the server (done_mark: NULL never
//   seen; claim_slot: the claiming desk's slot, -1 for a claim without one, NULL for none) with
//   the message's MODSEQ, and the mailbox's HIGHESTMODSEQ, so changes are followed with
//   CONDSTORE after a reconnect.
// - Completing or re-opening waits in team_changes until the server has it (one per conversation),
//   with the keyword's state and the message's MODSEQ as this desk knew them when the operator acted.
// - The newest message of the conversation when the operator started writing a reply, so Send
//   can say what changed since.
export default /* sql */ `
ALTER TABLE messages ADD COLUMN operator_name TEXT;
ALTER TABLE messages ADD COLUMN operator_desk TEXT;
ALTER TABLE messages ADD COLUMN sent_copy TEXT CHECK (sent_copy IN ('pending', 'done'));
ALTER TABLE messages ADD COLUMN sent_copy_blob TEXT;
ALTER TABLE messages ADD COLUMN done_mark INTEGER CHECK (done_mark IN (0, 1));
ALTER TABLE messages ADD COLUMN claim_slot INTEGER CHECK (claim_slot BETWEEN -1 AND 7);
ALTER TABLE messages ADD COLUMN imap_modseq TEXT;
CREATE INDEX messages_by_imap_uid ON messages (imap_uid) WHERE imap_uid IS NOT NULL;
CREATE INDEX messages_sent_copy_pending ON messages (id) WHERE sent_copy = 'pending';

ALTER TABLE imap_sync_state ADD COLUMN highest_modseq TEXT;

ALTER TABLE drafts ADD COLUMN base_message_id INTEGER;

CREATE TABLE team_changes (
  conversation_id  INTEGER PRIMARY KEY REFERENCES conversations (id),
  message_id       INTEGER NOT NULL REFERENCES messages (id),
  done             INTEGER NOT NULL CHECK (done IN (0, 1)),
  base_done        INTEGER CHECK (base_done IN (0, 1)),
  base_modseq      TEXT,
  created_at       INTEGER NOT NULL
);

CREATE TABLE app_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;
