// Whether an outgoing message was a reply or started from the new-message window: the two
// save their attachments differently by default (ZIP vs folder).
export default /* sql */ `
ALTER TABLE messages ADD COLUMN outgoing_kind TEXT CHECK (outgoing_kind IN ('reply', 'new'));
`;
