// What makes a client's attributes and an e-mail address acceptable. Shared so that the form
// shows a hint as the operator types and main refuses the same things whatever the page sent
// (the form, a CSV import or a hand-made request).
import { normalizePhone } from './client-search';
import type { FieldProblem } from './domain/client';

export interface ClientFields {
  name: string;
  phone?: string | null;
  email?: string | null;
  externalId?: string | null;
  messengerUsername?: string | null;
}

export type ClientField = keyof ClientFields;


/** Longer than this is a paste gone wrong, not an attribute. */
export const MAX_FIELD_LENGTH = 200;

// Deliberately plain: one @, no spaces or brackets, a dotted domain. Full RFC 5322 accepts
// addresses no operator means to type ("a@b", quoted local parts); servers decide the rest.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;
const PHONE_CHARS = /^\+?[\d\s().-]+$/;
/** ITU-T E.164: at most 15 digits; fewer than 5 is no phone number anyone dials. */
const MAX_PHONE_DIGITS = 15;

export function isEmailAddress(text: string): boolean {
  const address = text.trim();
  return address.length <= 254 && EMAIL.test(address) && !address.includes('..');
}

export function isPhoneNumber(text: string): boolean {
  const phone = text.trim();
  return PHONE_CHARS.test(phone) && normalizePhone(phone) !== null && phone.replace(/\D/g, '').length <= MAX_PHONE_DIGITS;
}

/** The client as stored: trimmed, empty attributes absent (null). */
export function cleanClientFields(input: ClientFields): Required<ClientFields> {
  const clean = (value: string | null | undefined) => {
    const text = (value ?? '').trim();
    return text === '' ? null : text;
  };
  return {
    name: input.name.trim().replace(/\s+/g, ' '),
    phone: clean(input.phone),
    email: clean(input.email),
    externalId: clean(input.externalId),
    messengerUsername: clean(input.messengerUsername),
  };
}

/** Every problem of the (cleaned) fields; none means the client may be saved. */
export function checkClientFields(input: ClientFields): FieldProblem[] {
  const c = cleanClientFields(input);
  const problems: FieldProblem[] = [];
  if (c.name === '') problems.push({ field: 'name', code: 'required' });
  else if (c.name.length > MAX_FIELD_LENGTH) problems.push({ field: 'name', code: 'too_long' });
  if (c.phone !== null) {
    if (c.phone.length > MAX_FIELD_LENGTH) problems.push({ field: 'phone', code: 'too_long' });
    else if (!isPhoneNumber(c.phone)) problems.push({ field: 'phone', code: 'invalid_phone' });
  }
  if (c.email !== null) {
    if (c.email.length > MAX_FIELD_LENGTH) problems.push({ field: 'email', code: 'too_long' });
    else if (!isEmailAddress(c.email)) problems.push({ field: 'email', code: 'invalid_email' });
  }
  for (const field of ['externalId', 'messengerUsername'] as const) {
    if ((c[field]?.length ?? 0) > MAX_FIELD_LENGTH) problems.push({ field, code: 'too_long' });
  }
  return problems;
}

/** The entries of an address line as typed ("a@x.ru, b@y.ru; c@z.ru"), whatever they are. */
export function splitAddressList(text: string): string[] {
  return text.split(/[,;\s]+/).filter((p) => p !== '');
}

/** A BCC line as typed: the addresses, and the entries that are not addresses. */
export function parseAddressList(text: string): { addresses: string[]; invalid: string[] } {
  const parts = splitAddressList(text);
  // The first writing of an address wins; a repeat in another case is the same mailbox.
  const unique = parts.filter((p, i) => parts.findIndex((q) => q.toLowerCase() === p.toLowerCase()) === i);
  return { addresses: unique.filter(isEmailAddress), invalid: unique.filter((p) => !isEmailAddress(p)) };
}
