// Starts the browser host the way an operator would (`npm run web`'s program), as a child
// process with its own config and data dir, and waits for its "Postdesk running at" line.
// Each link it prints opens the page once; more come the supported way, a line on its stdin.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestName, RequestOutput, Result } from '../../preload/contract';

export interface RunningHost {
  /** The one-time link printed at start: good for one page load. */
  url: string;
  origin: string;
  process: ChildProcess;
  output: string[];
  /** Another one-time link, asked for as an operator does: Enter in the host's terminal. */
  newLink(): Promise<string>;
  /** The `Cookie` header a browser gets for a fresh link, for requests sent from the test itself. */
  sessionCookie(): Promise<string>;
  stop(): Promise<void>;
}

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
export const WEB_CLI = path.join(ROOT, 'main', 'web', 'cli.ts');

export function runWebCli(args: string[], env: NodeJS.ProcessEnv = {}, { open = false } = {}): ChildProcess {
  return spawn(TSX, [WEB_CLI, ...(open ? [] : ['--no-open']), ...args], {
    cwd: ROOT,
    env: { ...process.env, POSTDESK_CONFIG: '', POSTDESK_DATA_DIR: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

const LINK_LINE = /^Link for another browser: (\S+)$/;

export async function startHost(options: {
  config: string;
  dataDir: string;
  lang?: 'en' | 'ru';
  extraArgs?: string[];
  /** Let the host open "the system browser" (the test puts its own opener first on PATH). */
  open?: boolean;
  /** Added to the host's environment (e.g. NODE_EXTRA_CA_CERTS for a test's own HTTPS server). */
  env?: NodeJS.ProcessEnv;
}): Promise<RunningHost> {
  const args = ['--port', '0', '--config', options.config, '--data-dir', options.dataDir];
  if (options.lang) args.push('--lang', options.lang);
  const child = runWebCli([...args, ...(options.extraArgs ?? [])], options.env, { open: options.open });
  const output: string[] = [];
  const waitingForLinks: Array<(url: string) => void> = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const link = LINK_LINE.exec(line);
    if (link) waitingForLinks.shift()?.(link[1]!);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start:\n${output.join('')}`)), 30_000);
    lines.on('line', (line) => {
      output.push(line);
      const match = /^Postdesk running at (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${output.join('')}`));
    });
  });
  const origin = new URL(url).origin;
  const newLink = () =>
    new Promise<string>((resolve) => {
      waitingForLinks.push(resolve);
      child.stdin!.write('\n');
    });
  return {
    url,
    origin,
    process: child,
    output,
    newLink,
    async sessionCookie() {
      const answer = await fetch(await newLink(), { redirect: 'manual' });
      const cookie = answer.headers.get('set-cookie');
      if (answer.status !== 200 || !cookie) throw new Error(`a fresh link was refused: ${answer.status}`);
      return cookie.split(';')[0]!;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Stands in for the platform's opener (xdg-open, first on PATH), so a test sees exactly the
 * command line the host hands it, which every local user could read from the process list.
 */
export function recordingOpener(dir: string): { env: NodeJS.ProcessEnv; args(): string[] | null } {
  const bin = path.join(dir, 'opener-bin');
  const record = path.join(dir, 'opener-args');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.part" && mv "${record}.part" "${record}"\n`, { mode: 0o755 });
  return {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    args: () => (existsSync(record) ? readFileSync(record, 'utf8').replace(/\n$/, '').split('\n') : null),
  };
}

/** Calls the host's API as its own page does (the session cookie, JSON and the X-Postdesk header). */
export function hostApi(host: Pick<RunningHost, 'origin'>, cookie: string) {
  const call = async <C extends RequestName>(channel: C, input?: unknown): Promise<Result<RequestOutput<C>>> => {
    const answer = await fetch(`${host.origin}/api/${channel}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-Postdesk': '1' },
      body: JSON.stringify({ input }),
    });
    return (await answer.json()) as Result<RequestOutput<C>>;
  };
  const value = async <C extends RequestName>(channel: C, input?: unknown): Promise<RequestOutput<C>> => {
    const answer = await call(channel, input);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
    return answer.value;
  };
  return { call, value };
}
