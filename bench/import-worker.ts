// Our side of the import benchmark: the CSV's text, as the page sends it, imported through
// ClientService into a fresh store (the app's own schema, migrations and transaction) each run.
// Prints the reader's time alone and the whole import's, per run, as JSON, and the reader's
// first time, before its code is compiled hot (an operator imports a file once in a while).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClientService } from '../main/clients/client-service';
import { parseCsv } from '../main/clients/csv';
import { ClientsRepo } from '../main/store/clients-repo';
import { openDatabase } from '../main/store/database';
import { readStdinJson } from './support';

const input = await readStdinJson<{ csvFile: string; dir: string; runs: number }>();
const text = readFileSync(input.csvFile, 'utf8');
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

let started = process.hrtime.bigint();
parseCsv(text);
const parseFirstMs = ms(started);
const parseMs: number[] = [];
const importMs: number[] = [];
let report: ReturnType<ClientService['importCsv']> | undefined;
for (let run = 0; run < input.runs; run++) {
  started = process.hrtime.bigint();
  parseCsv(text);
  parseMs.push(ms(started));

  const db = openDatabase(path.join(input.dir, `ours-${run}.sqlite`));
  const service = new ClientService(new ClientsRepo(db), (work) => db.transaction(work)());
  started = process.hrtime.bigint();
  report = service.importCsv(text);
  importMs.push(ms(started));
  db.close();
}
console.log(JSON.stringify({ parseFirstMs, parseMs, importMs, imported: report!.imported, refused: report!.refused.length }));
