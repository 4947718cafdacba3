// What saving a client would meet, for the form and the CSV import alike: the client as it would
// be stored, the rules it breaks, and (when it breaks none) the clients it may be a copy of.
import { checkClientFields, cleanClientFields, type ClientFields } from '../../common/client-fields';
import type { FieldProblem } from '../../common/domain/client';
import type { ClientRow, ClientsRepo, DuplicateField } from '../store/clients-repo';

export type PossibleDuplicate = ClientRow & { sameAs: DuplicateField[] };

export interface Screened {
  client: Required<ClientFields>;
  problems: FieldProblem[];
  duplicates: PossibleDuplicate[];
}

/** `lookForDuplicates: false` when the operator has already seen them and saves anyway. */
export function screenClient(input: ClientFields, clients: Pick<ClientsRepo, 'findDuplicates'>, lookForDuplicates = true): Screened {
  const client = cleanClientFields(input);
  const problems = checkClientFields(client);
  const duplicates = problems.length === 0 && lookForDuplicates ? clients.findDuplicates(client) : [];
  return { client, problems, duplicates };
}
