// The electronegativity scan of the built app (DESIGN.md: its findings are fixed or justified
// one by one). Every finding must match a reviewed entry in security/electronegativity.json,
// and every entry must still match a finding, so the list never says more than is true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ELECTRON_VERSION = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
const { justified } = JSON.parse(readFileSync(path.join(ROOT, 'security/electronegativity.json'), 'utf8'));

/** One CSV record per line (the scanner quotes fields but never breaks lines). */
function parseCsvLine(line) {
  const fields = [];
  for (const match of line.matchAll(/\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(?:,|$)/g)) {
    if (match.index === line.length) break;
    fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]);
  }
  return fields;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-electronegativity-'));
try {
  const report = path.join(dir, 'findings.csv');
  // Offline machines: the scanner says it could not fetch Electron's release list and goes on.
  execFileSync(path.join(ROOT, 'node_modules/.bin/electronegativity'), ['-i', path.join(ROOT, 'dist'), '-e', ELECTRON_VERSION, '-r', '-v', 'false', '-o', report], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [, ...lines] = readFileSync(report, 'utf8').trim().split('\n');
  const findings = lines.map(parseCsvLine).map(([issue, severity, , file, location, sample]) => ({ issue, severity, file, location, sample }));
  const matches = (f, j) => f.issue === j.issue && f.file === j.file && f.sample.includes(j.sample);
  const unjustified = findings.filter((f) => !justified.some((j) => matches(f, j)));
  const stale = justified.filter((j) => !findings.some((f) => matches(f, j)));
  for (const f of unjustified) console.error(`not justified: ${f.issue} (${f.severity}) ${f.file}:${f.location}  ${f.sample}`);
  for (const j of stale) console.error(`justified but no longer found (remove it): ${j.issue} ${j.file}  ${j.sample}`);
  console.log(`electronegativity: ${findings.length} finding(s), all reviewed: ${unjustified.length === 0 && stale.length === 0 ? 'yes' : 'NO'}`);
  process.exit(unjustified.length > 0 || stale.length > 0 ? 1 : 0);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
