// `npm test`'s closing line: skipped e2e tests of the electron project (no Electron binary here)
// are counted as skipped, with their reason, and never as passed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { NO_ELECTRON } from '../support/electron-binary';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('postdesk-summary-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/test-summary.mjs');

function report(name: string, content: unknown): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const skip = { type: 'skip', description: NO_ELECTRON };
const playwright = {
  stats: { expected: 2, unexpected: 0, flaky: 0, skipped: 3 },
  suites: [
    {
      specs: [{ tests: [{ projectName: 'browser', status: 'expected', annotations: [] }, { projectName: 'electron', status: 'skipped', annotations: [skip] }] }],
      suites: [
        {
          specs: [
            { tests: [{ projectName: 'browser', status: 'expected', annotations: [] }, { projectName: 'electron', status: 'skipped', annotations: [skip] }] },
            { tests: [{ projectName: 'browser', status: 'skipped', annotations: [{ type: 'skip' }] }] },
          ],
        },
      ],
    },
  ],
};

it('counts the electron project\'s skips as skipped, says why, and passes on what did pass', () => {
  const vitest = report('unit.json', { numPassedTests: 5, numFailedTests: 0, numPendingTests: 0 });
  const run = spawnSync(process.execPath, [SCRIPT, vitest, report('e2e.json', playwright)], { encoding: 'utf8' });
  expect(run.stdout.trim()).toBe(`tests: 7 passed, 0 failed, 3 skipped (2 Electron e2e: ${NO_ELECTRON})`);
  expect(run.status).toBe(0);
});

it('fails a run where every e2e test was skipped: nothing passed is not a success', () => {
  const allSkipped = { stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 1 }, suites: [{ specs: [{ tests: [{ projectName: 'electron', status: 'skipped', annotations: [skip] }] }] }] };
  const run = spawnSync(process.execPath, [SCRIPT, report('skipped.json', allSkipped)], { encoding: 'utf8' });
  expect(run.stdout.trim()).toBe(`tests: 0 passed, 0 failed, 1 skipped (1 Electron e2e: ${NO_ELECTRON})`);
  expect(run.status).toBe(1);
});
