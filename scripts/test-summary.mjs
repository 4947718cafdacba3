// Adds up what the test runners reported and prints one closing line: "N passed, N failed".
// A run that executed no test is a failure, never a silent success. Skipped tests are never
// passed ones; the e2e suite's electron project, skipped where no Electron binary exists, is
// counted apart with its reason.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
/** Skipped e2e tests of the electron project, by the reason they gave. */
const electronSkips = new Map();

function eachPlaywrightTest(suite, visit) {
  for (const spec of suite.specs ?? []) for (const test of spec.tests) visit(test);
  for (const child of suite.suites ?? []) eachPlaywrightTest(child, visit);
}
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats) {
    // Playwright
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    for (const suite of report.suites ?? []) {
      eachPlaywrightTest(suite, (test) => {
        if (test.projectName !== 'electron' || test.status !== 'skipped') return;
        const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'skipped';
        electronSkips.set(reason, (electronSkips.get(reason) ?? 0) + 1);
      });
    }
  } else {
    // Vitest
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  }
}
const why = [...electronSkips].map(([reason, count]) => `${count} Electron e2e: ${reason}`).join('; ');
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${why ? ` (${why})` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
