// An answer quotes the client's message it answers: the attribution line and the quoted text,
// as JSON, kept apart from the operator's own text (which the history shows) and put into the
// mail when it is composed, so a retry sends the same quote.
export default /* sql */ `
ALTER TABLE messages ADD COLUMN quote TEXT;
`;
