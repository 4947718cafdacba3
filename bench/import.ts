// npm run bench -- import: 10,000 clients from a CSV file as Excel in a Russian locale saves it
// (BOM, `;`, CRLF, some rows quoted throughout, names with quotes and line breaks inside quotes,
// one row in a hundred with a bad e-mail) imported into a fresh SQLite store through
// ClientService, against Python's csv module and sqlite3 inserting the same file in one
// transaction (`bench/import-peer.py`; Debian's `python3`). Both sides time the reader alone and
// the whole import from the text in memory to the commit, BENCH_RUNS times (5), medians; and
// the reader's first run alone, before anything else of it has run. BENCH_ROWS sizes the file
// (240,000 rows make about the 20 MB the page sends at most).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeClients } from './search';
import { benchRuns, envCount, MB, median, report, requireTool, ROOT, round, runWorker, timeCommand } from './support';

const ROWS = envCount('BENCH_ROWS', 10_000);

interface SideResult {
  parseFirstMs: number;
  parseMs: number[];
  importMs: number[];
  imported: number;
  refused?: number;
}

/** A field as Excel writes it: quoted when it must be (or when the whole row is), inner quotes doubled. */
function cell(value: string, quoteAll: boolean): string {
  return quoteAll || /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function clientsCsv(count: number): string {
  const lines = ['name;phone;email;externalId;messengerUsername'];
  makeClients(count).forEach((client, i) => {
    let name = client.name;
    if (i % 50 === 7) name = `ООО "${name}"`;
    if (i % 500 === 11) name = name.replace(' ', '\r\n');
    const email = i % 100 === 3 ? client.email!.replace('@', ' at ') : client.email!;
    const fields = [name, client.phone ?? '', email, client.externalId ?? '', client.messengerUsername ?? ''];
    lines.push(fields.map((f) => cell(f, i % 7 === 0)).join(';'));
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function benchImport(): Promise<void> {
  requireTool('python3', 'python3');
  const runs = benchRuns(5);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-import-'));
  try {
    const csvFile = path.join(dir, 'clients.csv');
    const csv = clientsCsv(ROWS);
    writeFileSync(csvFile, csv);
    const input = { csvFile, dir, runs };
    const ours = await runWorker<SideResult>('import-worker.ts', input);
    const { stdout } = await timeCommand('python3', [path.join(ROOT, 'bench', 'import-peer.py')], { input: JSON.stringify(input) });
    const peer = JSON.parse(stdout.trim().split('\n').at(-1)!) as SideResult;

    const oursMs = median(ours.importMs);
    const peerMs = median(peer.importMs);
    report({
      bench: 'import',
      rows: ROWS,
      csv_mb: round(Buffer.byteLength(csv) / MB, 1),
      runs,
      ours_ms: round(oursMs, 1),
      ours_parse_ms: round(median(ours.parseMs), 1),
      ours_parse_first_ms: round(ours.parseFirstMs, 1),
      ours_imported: ours.imported,
      ours_refused: ours.refused,
      peer: 'python3 csv + sqlite3',
      peer_ms: round(peerMs, 1),
      peer_parse_ms: round(median(peer.parseMs), 1),
      peer_parse_first_ms: round(peer.parseFirstMs, 1),
      peer_imported: peer.imported,
      ratio: round(oursMs / peerMs),
      parse_ratio: round(median(ours.parseMs) / median(peer.parseMs)),
      ours_runs: ours.importMs.map((ms) => round(ms, 1)),
      peer_runs: peer.importMs.map((ms) => round(ms, 1)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
