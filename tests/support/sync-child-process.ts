// Runs tests/support/sync-child.ts as a desk would run: its own process, which a test can kill
// with SIGKILL at any moment. It is bundled once by esbuild and run by plain Node, as
// bench/support.ts runs its workers, so a start costs a Node start and our code's own, not a
// TypeScript loader compiling modules while the clock runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { bundleNode } from '../../scripts/bundle-node.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Bundles the child and returns the file to run. It sits under the root (in .tmp/, which git
 * ignores) so that Node finds the packages left out of the bundle in node_modules.
 */
export async function bundleSyncChild(): Promise<string> {
  const outfile = path.join(ROOT, '.tmp', 'tests', 'sync-child.mjs');
  await bundleNode({ entry: 'tests/support/sync-child.ts', outfile });
  return outfile;
}

export interface SyncChild {
  /** Its last line so far (see sync-child.ts), or '(nothing)' before the first. */
  last(): string;
  /** Resolves with the milliseconds from its start to its first `idle` line; rejects if it exits first or `timeoutMs` pass. */
  idle(timeoutMs: number): Promise<number>;
  /** SIGKILL, then its exit. Rejects when it had already exited by itself (a crash): nothing was left to kill. */
  kill(): Promise<void>;
  /** Ends its stdin, so it closes the services and exits; rejects unless it exits with 0. */
  finish(): Promise<void>;
  /** For clean-up after a failure: kills it if it still runs. */
  stop(): Promise<void>;
}

export function startSyncChild(bundle: string, configFile: string, dataDir: string): SyncChild {
  const started = Date.now();
  const child = spawn(process.execPath, [bundle, configFile, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let idleAt: number | null = null;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (line === 'idle') idleAt ??= Date.now() - started;
  });
  // A SIGKILL'd child can leave the write end of its stdin closed under us.
  child.stdin.on('error', () => {});
  // 'close', not 'exit': every line it wrote has been read by then.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const outcome = () => `exit ${child.exitCode ?? child.signalCode}; last lines: ${lines.slice(-5).join(' | ')}; stderr: ${stderr.trim() || '(none)'}`;

  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!running()) return;
    child.kill('SIGKILL');
    await exited;
  };

  return {
    last: () => lines.at(-1) ?? '(nothing)',
    async idle(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (idleAt === null) {
        if (!running()) throw new Error(`the sync child exited before it was idle: ${outcome()}`);
        if (Date.now() > until) throw new Error(`the sync child was not idle within ${timeoutMs} ms: ${outcome()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return idleAt;
    },
    async kill() {
      if (!running()) throw new Error(`the sync child exited by itself: ${outcome()}`);
      await stop();
    },
    async finish() {
      child.stdin.end();
      const [code] = await exited;
      if (code !== 0) throw new Error(`the sync child did not close cleanly: ${outcome()}`);
    },
    stop,
  };
}
