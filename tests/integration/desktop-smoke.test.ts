// The built desktop app starts: scripts/build.mjs builds it (into a folder of its own here, so
// the test needs no earlier build and sees this checkout's code), and plain Node runs the main
// bundle with the module `electron` resolved to the stand-in (tests/support/desktop-smoke-driver.ts),
// against a real Dovecot and SMTP server. What only a real Electron shows (the page drawn, the
// preload run in its sandbox, the fuses) is CI's, on real OSes.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../common/csp';
import { DATABASE_FILE } from '../../main/services';
import { REQUEST_NAMES } from '../../preload/names';
import { channelFor, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';
import { ROOT } from '../support/web-host';

const run = promisify(execFile);
/** Inside the repository: the bundle finds its packages in node_modules as dist/ does. */
const OUT = path.join(ROOT, '.tmp', `desktop-smoke-${process.pid}`);
const SMOKE = path.join(OUT, 'smoke');
const EXIT_TIMEOUT_MS = 30_000;

type Step = { step: string } & Record<string, unknown>;

describe('the built desktop app under plain Node with the stand-in electron', () => {
  const tmp = tempDir('postdesk-smoke-');
  let dovecot: Dovecot;
  let smtp: SmtpServerHandle;

  beforeAll(async () => {
    await run(process.execPath, ['scripts/build.mjs', '--quiet', '--outdir', OUT], { cwd: ROOT });
    mkdirSync(SMOKE, { recursive: true });
    const bundle = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' } as const;
    await build({ ...bundle, entryPoints: [path.join(ROOT, 'tests/support/electron-stand-in.ts')], outfile: path.join(SMOKE, 'electron-stand-in.mjs') });
    await build({ ...bundle, entryPoints: [path.join(ROOT, 'tests/support/desktop-smoke-driver.ts')], outfile: path.join(SMOKE, 'driver.mjs'), external: ['electron'] });
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    smtp = await startSmtpServer({ deliverTo: dovecot });
  });

  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    tmp.cleanup();
    rmSync(OUT, { recursive: true, force: true });
  });

  it("reaches the window with the real preload, protocol handlers and IPC table, answers over IPC, serves the page, and quits cleanly", async () => {
    const config = writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp })] });
    const dataDir = path.join(tmp.dir, 'data');
    const reportFile = path.join(tmp.dir, 'report.jsonl');
    const child = spawn(process.execPath, ['--import', path.join(SMOKE, 'driver.mjs'), path.join(OUT, 'main/main.js'), '--config', config, '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, POSTDESK_SMOKE_REPORT: reportFile, POSTDESK_CONFIG: '', POSTDESK_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(timer);

    const steps: Step[] = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Step) : [];
    const step = (name: string) => steps.find((s) => s.step === name);
    // Everything the child said, when it did not get that far.
    expect(steps.map((s) => s.step), output).toEqual(['window created', 'ipc', 'renderer', 'quit']);
    // Electron would end the process at quit anyway: here it ends only if close() left nothing open.
    expect({ code, signal }, `the app did not end by itself within ${EXIT_TIMEOUT_MS / 1000} s of quitting\n${output}`).toEqual({ code: 0, signal: null });

    const preload = path.join(OUT, 'preload/index.cjs');
    expect(existsSync(preload)).toBe(true);
    expect(step('window created')).toMatchObject({
      windows: 1,
      webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false },
      loadedUrl: 'postdesk://app/index.html',
      schemes: [expect.objectContaining({ scheme: 'postdesk' }), expect.objectContaining({ scheme: 'postdesk-file' })],
    });
    expect((step('window created')!.protocolHandlers as string[]).sort()).toEqual(['postdesk', 'postdesk-file']);
    expect((step('window created')!.ipcHandlers as string[]).sort()).toEqual([...REQUEST_NAMES].sort());

    // Real answers: the settings the page starts with, Check connection (the SMTP server tried), and
    // the channel's sync logged in to its Dovecot.
    expect(step('ipc')).toMatchObject({
      appInfo: { ok: true, value: { lang: 'ru', attachmentRules: { maxFileSize: 30 * 1024 * 1024 } } },
      channelsCheck: { ok: true, value: { id: 'support', smtp: { kind: 'ok' } } },
      channels: { ok: true, value: [{ id: 'support', address: OPERATOR.address, state: { kind: 'idle' }, smtp: { kind: 'ok' } }] },
      foreign: { ok: false, error: { code: 'forbidden' } },
    });

    expect(step('renderer')).toEqual({
      step: 'renderer',
      index: {
        status: 200,
        headers: { 'content-type': expect.stringMatching(/^text\/html/), 'content-security-policy': CONTENT_SECURITY_POLICY },
        body: readFileSync(path.join(OUT, 'renderer/index.html'), 'utf8'),
      },
      missing: expect.objectContaining({ status: 404 }),
    });

    expect(existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
  });
});
