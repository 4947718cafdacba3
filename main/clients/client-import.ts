// Clients brought in from a CSV file: every row checked as the form checks one client, good rows
// saved, the rest reported with their line and reasons so the operator can fix the file.
import { cleanClientFields, type ClientField, type ClientFields } from '../../common/client-fields';
import type { FieldProblem } from '../../common/domain/client';
import { AppError } from '../errors';
import type { ClientsRepo, DuplicateField } from '../store/clients-repo';
import { parseCsv } from './csv';
import { screenClient } from './screen-client';
import type { Transaction } from '../store/unit-of-work';

export type ImportProblem =
  | FieldProblem
  | { field: DuplicateField; code: 'duplicate'; clientName: string }
  | { code: 'column_count'; expected: number; actual: number };

export interface ImportReport {
  imported: number;
  refused: Array<{ line: number; name: string; problems: ImportProblem[] }>;
}

export interface ImportDeps {
  clients: Pick<ClientsRepo, 'create' | 'findDuplicates'>;
  /** Runs all the saves as one commit: 10,000 rows one by one would be 10,000 fsyncs. */
  transaction: Transaction;
  now?: () => number;
}

const COLUMN_NAMES: readonly ClientField[] = ['name', 'phone', 'email', 'externalId', 'messengerUsername'];

/** Header spellings people and CRMs use, keyed as `headerKey` reduces them. */
const HEADER_ALIASES: Record<string, ClientField> = {
  name: 'name',
  phone: 'phone',
  email: 'email',
  externalid: 'externalId',
  messengerusername: 'messengerUsername',
  username: 'messengerUsername',
};

const DUPLICATE_FIELDS: readonly DuplicateField[] = ['email', 'phone', 'externalId'];

/** "External ID", "external_id" and "e-mail" are how spreadsheets spell our column names. */
function headerKey(cell: string): string {
  return cell.toLowerCase().replace(/[\s_-]+/g, '');
}

const EXPECTED = `Expected columns: name (required), phone, email, externalId, messengerUsername.`;

function readHeader(cells: string[]): Map<ClientField, number> {
  const found = cells.map((c) => `"${c.trim()}"`).join(', ');
  const columns = new Map<ClientField, number>();
  cells.forEach((cell, index) => {
    const column = HEADER_ALIASES[headerKey(cell)];
    if (column === undefined) {
      throw new AppError('invalid_input', `The CSV header has an unknown column "${cell.trim()}" (found: ${found}). ${EXPECTED}`, {
        expected: COLUMN_NAMES,
        found: cells,
      });
    }
    const earlier = columns.get(column);
    if (earlier !== undefined) {
      throw new AppError(
        'invalid_input',
        `The CSV header names the ${column} column twice ("${cells[earlier]!.trim()}" and "${cell.trim()}"). ${EXPECTED}`,
        { expected: COLUMN_NAMES, found: cells },
      );
    }
    columns.set(column, index);
  });
  if (!columns.has('name')) {
    throw new AppError('invalid_input', `The CSV header has no "name" column (found: ${found}). ${EXPECTED}`, {
      expected: COLUMN_NAMES,
      found: cells,
    });
  }
  return columns;
}

/**
 * Imports what it can and reports the rest; throws AppError('invalid_input') without importing
 * anything when the file itself is unreadable (empty, bad header, unterminated quote).
 */
export function importClientsCsv(text: string, deps: ImportDeps): ImportReport {
  const [header, ...rows] = parseCsv(text).rows;
  if (header === undefined) {
    throw new AppError('invalid_input', `The CSV file is empty: its first line should name the columns. ${EXPECTED}`, { expected: COLUMN_NAMES });
  }
  const columns = readHeader(header.fields);
  const now = deps.now ?? Date.now;
  const report: ImportReport = { imported: 0, refused: [] };

  deps.transaction(() => {
    for (const { line, fields } of rows) {
      // Spreadsheets export rows that once had formatting as `;;;;`: nothing to import or refuse.
      if (fields.every((f) => f.trim() === '')) continue;
      const input: ClientFields = { name: '' };
      for (const [column, index] of columns) input[column] = fields[index] ?? '';
      if (fields.length !== header.fields.length) {
        const name = cleanClientFields(input).name;
        report.refused.push({ line, name, problems: [{ code: 'column_count', expected: header.fields.length, actual: fields.length }] });
        continue;
      }
      const { client, problems: fieldProblems, duplicates } = screenClient(input, deps.clients);
      const name = client.name;
      if (fieldProblems.length > 0) {
        report.refused.push({ line, name, problems: fieldProblems });
        continue;
      }
      if (duplicates.length > 0) {
        const problems: ImportProblem[] = [];
        for (const field of DUPLICATE_FIELDS) {
          // Several clients may share the field already; the oldest is the one the operator knows.
          const same = duplicates.filter((d) => d.sameAs.includes(field)).sort((a, b) => a.id - b.id)[0];
          if (same) problems.push({ field, code: 'duplicate', clientName: same.name });
        }
        report.refused.push({ line, name, problems });
        continue;
      }
      deps.clients.create(client, now());
      report.imported++;
    }
  });
  return report;
}
