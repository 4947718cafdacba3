// The conversation list marks a conversation whose message did not go (failed, or waiting to be
// tried again after a failure): found through this index, not by reading every message.
export default /* sql */ `
CREATE INDEX messages_send_problems ON messages (conversation_id)
  WHERE direction = 'out' AND (status = 'failed' OR (status = 'queued' AND error IS NOT NULL));
`;
