// scripts/lint-workflows.mjs (the `workflows` step of `npm test`) passes this repository's
// workflows and fails, naming the place, on a workflow with a real mistake.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/lint-workflows.mjs');
const DESKTOP = readFileSync(path.join(ROOT, '.github/workflows/desktop.yml'), 'utf8');

function lintWorkflows(dir?: string) {
  return spawnSync(process.execPath, [SCRIPT, ...(dir ? [dir] : [])], { cwd: ROOT, encoding: 'utf8' });
}

function lintOne(name: string, text: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
  try {
    writeFileSync(path.join(dir, name), text);
    return lintWorkflows(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The linter is WebAssembly: a second or two to load on a busy machine.
describe('lint-workflows', { timeout: 30_000 }, () => {
  it("passes the repository's workflows", () => {
    const result = lintWorkflows();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/workflows: \d+ file\(s\), 0 finding\(s\)/);
    expect(result.status).toBe(0);
  });

  it('fails on a matrix name that is not defined, naming the file, line and column', () => {
    const text = DESKTOP.replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.oss }}');
    expect(text).not.toBe(DESKTOP);
    const line = text.split('\n').findIndex((l) => l.includes('matrix.oss')) + 1;
    const result = lintOne('desktop.yml', text);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`desktop.yml:${line}:`);
    expect(result.stderr).toContain('property "oss" is not defined in object type {os: string} [expression]');
  });

  it('fails on a context that does not exist and on a missing runs-on', () => {
    const text = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n';
    const result = lintOne('broken.yaml', text);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/"runs-on" section is missing/);
    expect(result.stderr).toMatch(/undefined variable "secret"/);
  });

  it('knows repository variables (vars), which its actionlint predates, but not a misspelling of them', () => {
    const text = (context: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$U"\n        env:\n          U: \${{ ${context}.UPDATE_URL }}\n`;
    expect(lintOne('vars.yml', text('vars'))).toMatchObject({ status: 0, stderr: '' });
    const misspelt = lintOne('var.yml', text('var'));
    expect(misspelt.status).toBe(1);
    expect(misspelt.stderr).toMatch(/var\.yml:8:\d+: undefined variable "var"/);
  });

  it('fails when there is no workflow to lint', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
    try {
      const result = lintWorkflows(dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/no \.yml or \.yaml file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
