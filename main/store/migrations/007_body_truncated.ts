// Whether an incoming message's text or HTML was longer than the history keeps (parse-limits.ts):
// the history then says so and offers "Show the whole message", read again from the original.
export default /* sql */ `
ALTER TABLE messages ADD COLUMN body_truncated INTEGER NOT NULL DEFAULT 0 CHECK (body_truncated IN (0, 1));
`;
