// Shared pieces of the benchmarks: timing a child process, peak memory, medians, disk usage,
// targets, the JSON last line, and our side's first sync.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bundleNode } from '../scripts/bundle-node.mjs';
import { loadConfig } from '../main/config/load';
import { openServices, type Services } from '../main/services';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Fails early, saying how to install a reference tool that is missing. */
export function requireTool(command: string, debianPackage: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    console.error(`${command} is not installed: apt-get install -y ${debianPackage}`);
    process.exit(2);
  }
}

export interface Timed {
  seconds: number;
  stdout: string;
}

/** Runs a command to completion, measuring wall time from spawn to exit. */
export function timeCommand(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}${stdout}`));
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs one of our bench workers in its own process and returns its JSON result. The worker is
 * bundled first, as the desktop app's main process is (scripts/build.mjs), and run by plain
 * Node: what is measured is our code, not a TypeScript loader (tsx alone holds ~130 MB and
 * compiles modules while the clock runs). The bundle sits one folder below the root, as the
 * sources do, so paths built from import.meta.dirname still resolve.
 */
export async function runWorker<T>(worker: string, input: unknown): Promise<T & { wallSeconds: number }> {
  const outfile = path.join(ROOT, '.tmp', `bench-${path.basename(worker, '.ts')}.mjs`);
  await bundleNode({ entry: path.join('bench', worker), outfile });
  // BENCH_PROF=DIR writes a CPU profile of our side there (node --cpu-prof), to see where its time goes.
  const profile = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const { seconds, stdout } = await timeCommand(process.execPath, [...profile, outfile], { input: JSON.stringify(input) });
  const last = stdout.trim().split('\n').at(-1)!;
  return { ...(JSON.parse(last) as T), wallSeconds: seconds };
}

export async function readStdinJson<T>(): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString()) as T;
}

/** Samples RSS often enough to catch the peak of a streaming pipeline. */
export function rssSampler(intervalMs = 5): { baseline: number; peak(): number; stop(): void } {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return {
    baseline,
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

export const MB = 1024 * 1024;

export function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}

/** The nearest-rank percentile: the smallest of `values` that at least a share `q` (0 to 1) of them are at or below. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The middle of `values`; of an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

/** A whole number of at least 1 from the environment, or `fallback` when the variable is unset. */
export function envCount(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not ${JSON.stringify(text)}`);
  return value;
}

/** How many times a bench measures each side (BENCH_RUNS, else `fallback`); it reports their median. */
export function benchRuns(fallback: number): number {
  return envCount('BENCH_RUNS', fallback);
}

/**
 * Bytes of every regular file below `dir` (st_size, links not followed): what a store takes on
 * disk as its files say, whatever they are; directories themselves are not counted.
 */
export function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += diskUsage(file);
    else if (entry.isFile()) bytes += lstatSync(file).size;
  }
  return bytes;
}

/** The targets beside what was measured; every target is a ceiling, met at or below it. */
export function targets<K extends string>(limits: Record<K, number>, measured: Record<K, number>): { targets: Record<K, number>; met: Record<K, boolean> } {
  const met = {} as Record<K, boolean>;
  for (const key of Object.keys(limits) as K[]) met[key] = measured[key] <= limits[key];
  return { targets: limits, met };
}

/** `promise`, or a failure naming `what` once `ms` have passed without it settling. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function report(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

/** Postdesk's own services on the given config and data dir, with mail not yet started unless `startMail` (as the app starts it). */
export function openBenchServices(configFile: string, dataDir: string, { startMail = false } = {}): Promise<Services> {
  return openServices({ config: loadConfig(configFile).config, dataDir, lang: 'en', version: 'bench', startMail });
}

export interface FirstSync {
  seconds: number;
  /** The stored messages' ids, from their 'mail.received' events, in the order they were stored. */
  messageIds: number[];
  baselineRssMb: number;
  peakRssMb: number;
  /** How long the main thread's event loop was held at worst, and at the 99th percentile: what the page and IPC would wait. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

/**
 * Starts the mail of services opened on an empty data dir (as the app does) and waits for the
 * channel to be idle with `expected` messages stored: the first sync, timed, with its peak RSS.
 */
export async function firstSync(services: Services, expected: number): Promise<FirstSync> {
  const messageIds: number[] = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = services.events.subscribe((event, payload) => {
      if (event === 'mail.received') messageIds.push((payload as { messageId: number }).messageId);
      if (event === 'channels.state') {
        const { state } = payload as { state: { kind: string; reason?: string } };
        if (state.kind === 'idle' && messageIds.length >= expected) resolve();
        if (state.kind === 'error') reject(new Error(state.reason));
      }
    });
  });
  const memory = rssSampler();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = process.hrtime.bigint();
  services.mail.start();
  let seconds: number;
  try {
    await done;
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    memory.stop();
    loop.disable();
    unsubscribe();
  }
  return {
    seconds: round(seconds, 3),
    messageIds,
    baselineRssMb: round(memory.baseline / MB, 1),
    peakRssMb: round(memory.peak() / MB, 1),
    loopDelayMaxMs: round(loop.max / 1e6, 1),
    loopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
  };
}
