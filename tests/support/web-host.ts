// Starts the browser host the way an operator would (`npm run web`'s program), as a child
// process with its own config and data dir, and waits for its "Postdesk running at" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningHost {
  url: string;
  origin: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
export const WEB_CLI = path.join(ROOT, 'main', 'web', 'cli.ts');

export function runWebCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(TSX, [WEB_CLI, '--no-open', ...args], {
    cwd: ROOT,
    env: { ...process.env, POSTDESK_CONFIG: '', POSTDESK_DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startHost(options: {
  config: string;
  dataDir: string;
  lang?: 'en' | 'ru';
  extraArgs?: string[];
  /** Added to the host's environment (e.g. NODE_EXTRA_CA_CERTS for a test's own HTTPS server). */
  env?: NodeJS.ProcessEnv;
}): Promise<RunningHost> {
  const args = ['--port', '0', '--config', options.config, '--data-dir', options.dataDir];
  if (options.lang) args.push('--lang', options.lang);
  const child = runWebCli([...args, ...(options.extraArgs ?? [])], options.env);
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
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
  return {
    url,
    origin: new URL(url).origin,
    process: child,
    output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
