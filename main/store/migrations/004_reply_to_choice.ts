// Where a reply goes when the client's mail asks for replies elsewhere (a Reply-To that is not
// its From): the address the operator chose, kept with the draft. It names an address rather
// than "from"/"reply-to", so a later mail with another Reply-To cannot inherit the choice.
export default /* sql */ `
ALTER TABLE drafts ADD COLUMN reply_to_choice TEXT;
`;
