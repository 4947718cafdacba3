// Clients the operator adds by hand: checked with the same rules as the form shows, and not
// saved over a likely copy (same e-mail, phone or external ID) unless the operator says so.
import { isEmailAddress, type ClientFields } from '../../common/client-fields';
import { AppError } from '../errors';
import type { ClientRow, ClientsRepo } from '../store/clients-repo';
import { importClientsCsv, type ImportReport } from './client-import';
import { screenClient, type PossibleDuplicate } from './screen-client';
import type { Transaction } from '../store/unit-of-work';

export type CreateOutcome = { status: 'created'; client: ClientRow } | { status: 'duplicates'; duplicates: PossibleDuplicate[] };

export class ClientService {
  constructor(
    private readonly clients: ClientsRepo,
    private readonly transaction: Transaction,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every row that passes the form's checks and is no duplicate; the report says why the others did not. */
  importCsv(csv: string): ImportReport {
    return importClientsCsv(csv, { clients: this.clients, transaction: this.transaction, now: this.now });
  }

  create(input: ClientFields, options: { allowDuplicate?: boolean } = {}): CreateOutcome {
    const { client, problems, duplicates } = screenClient(input, this.clients, !options.allowDuplicate);
    if (problems.length > 0) {
      throw new AppError('invalid_input', `The client cannot be saved: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}.`, { problems });
    }
    if (duplicates.length > 0) return { status: 'duplicates', duplicates };
    return { status: 'created', client: this.clients.create(client, this.now()) };
  }

  get(clientId: number): ClientRow {
    const client = this.clients.get(clientId);
    if (!client) throw new AppError('not_found', `There is no client ${clientId}.`);
    return client;
  }

  setEmail(clientId: number, email: string): ClientRow {
    const address = email.trim();
    if (!isEmailAddress(address)) throw new AppError('invalid_input', `"${address}" is not an e-mail address.`, { problems: [{ field: 'email', code: 'invalid_email' }] });
    const client = this.clients.setEmail(clientId, address);
    if (!client) throw new AppError('not_found', `There is no client ${clientId}.`);
    return client;
  }
}
