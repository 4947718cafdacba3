// A client of the contact center: who they are, how they are found, and why an attribute is refused.
import { z } from 'zod';

export const clientView = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  externalId: z.string().nullable(),
  messengerUsername: z.string().nullable(),
});

export const clientSearchResult = clientView.extend({
  /** The attribute the query matched, to highlight it. */
  matched: z.enum(['name', 'phone', 'email', 'externalId', 'messengerUsername']),
  rank: z.number().int(),
});

/** The attributes no two clients should share without the operator saying so. */
export const duplicateField = z.enum(['email', 'phone', 'externalId']);

/** Why a client's attribute was refused (the form's hints, the import report). */
export const fieldProblem = z.discriminatedUnion('field', [
  z.object({ field: z.literal('name'), code: z.enum(['required', 'too_long']) }),
  z.object({ field: z.literal('email'), code: z.enum(['invalid_email', 'too_long']) }),
  z.object({ field: z.literal('phone'), code: z.enum(['invalid_phone', 'too_long']) }),
  z.object({ field: z.enum(['externalId', 'messengerUsername']), code: z.literal('too_long') }),
]);

export const importProblem = z.union([
  fieldProblem,
  z.object({ field: duplicateField, code: z.literal('duplicate'), clientName: z.string() }),
  z.object({ code: z.literal('column_count'), expected: z.number().int(), actual: z.number().int() }),
]);

/** What an import did: how many clients it created, and each refused row with why. */
export const importReport = z.object({
  imported: z.number().int(),
  refused: z.array(z.object({ line: z.number().int(), name: z.string(), problems: z.array(importProblem) })),
});

const optionalField = z.string().max(1000).nullable().optional();

/** A client to create, as the form or a request sends it (main checks it again: common/client-fields.ts). */
export const newClient = z.strictObject({
  name: z.string().max(1000),
  phone: optionalField,
  email: optionalField,
  externalId: optionalField,
  messengerUsername: optionalField,
  /** Save even though clients with the same e-mail, phone or external ID exist (the operator saw them). */
  allowDuplicate: z.boolean().optional(),
});

/** A client is created unless the e-mail, phone or external ID is already someone's: then those come back. */
export const createOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), client: clientView }),
  z.object({ status: z.literal('duplicates'), duplicates: z.array(clientView.extend({ sameAs: z.array(duplicateField) })) }),
]);

export type ClientView = z.output<typeof clientView>;
export type ClientSearchResult = z.output<typeof clientSearchResult>;
export type DuplicateField = z.output<typeof duplicateField>;
export type FieldProblem = z.output<typeof fieldProblem>;
export type ImportProblem = z.output<typeof importProblem>;
export type ImportReport = z.output<typeof importReport>;
export type CreateOutcome = z.output<typeof createOutcome>;
