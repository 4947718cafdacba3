// Reads plain messages for the ingest, on a worker thread (scan-worker.ts) when there is a
// backlog. Hashing a message and its files and parsing its skeleton is most of a first sync's
// CPU; on a thread of its own it runs beside the IMAP connection's, and the main thread stays
// free for the page. A message or two (new mail through IDLE) is read here: a worker costs about
// 30 MB and a moment to start, more than it saves. So is a large message, read from its file a
// megabyte at a time, which never holds the thread for long. The worker stops when idle.
//
// From the build (dist/main/main.js, a bench or test bundle) the worker is the bundle
// scan-worker.mjs beside it; from source (vitest, tsx) it loads its TypeScript with tsx, a
// development dependency. A worker that fails is replaced; its messages are read the full way.
import { Worker } from 'node:worker_threads';
import type { ParsedMessage } from './parse-message';
import { NO_WRITES, readPlainMessage } from './read-plain';

/** An idle worker stops after this long. */
const IDLE_STOP_MS = 15_000;

interface WorkerAnswer {
  id: number;
  parsed: ParsedMessage | null;
}

export class ScanPool {
  private worker: Worker | null = null;
  /** The worker has loaded its code and takes messages. */
  private ready = false;
  private nextId = 1;
  private readonly pending = new Map<number, (parsed: ParsedMessage | null) => void>();
  /** Messages being read now, here or there. */
  private reading = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Where messages were read: on this thread, or in the worker (for tests and benchmarks). */
  readonly counts = { here: 0, inWorker: 0 };

  constructor(private readonly options: { idleStopMs?: number } = {}) {}

  /** A worker is running (or starting). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** The message's fields with its files as ranges, or null when it is not plain (or reading it failed). */
  async scan(source: Buffer | string): Promise<ParsedMessage | null> {
    if (this.closed) return null;
    this.reading++;
    this.cancelIdleStop();
    try {
      if (Buffer.isBuffer(source) && this.ready) {
        this.counts.inWorker++;
        return await this.inWorker(source);
      }
      // A backlog: the worker is started for the messages that follow.
      if (Buffer.isBuffer(source) && this.reading > 1) this.start();
      this.counts.here++;
      return await readPlainMessage(source, NO_WRITES).catch(() => null);
    } finally {
      this.reading--;
      if (this.reading === 0) this.scheduleIdleStop();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleStop();
    await this.stop();
  }

  private inWorker(source: Buffer): Promise<ParsedMessage | null> {
    const id = this.nextId++;
    const answer = new Promise<ParsedMessage | null>((resolve) => this.pending.set(id, resolve));
    // A copy of its own to hand over: the source may be a view into a larger buffer.
    const bytes = new Uint8Array(source);
    this.worker!.postMessage({ id, bytes }, [bytes.buffer]);
    return answer;
  }

  private start(): void {
    if (this.worker || this.closed) return;
    const worker = startWorker();
    worker.unref();
    worker.on('message', (message: WorkerAnswer | 'ready') => {
      if (message === 'ready') {
        this.ready = this.worker === worker;
        return;
      }
      this.pending.get(message.id)?.(message.parsed);
      this.pending.delete(message.id);
    });
    const failed = () => {
      if (this.worker === worker) this.forget();
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    this.worker = worker;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.forget();
    await worker?.terminate();
  }

  /** No worker any more: every message waiting on it is read the full way. */
  private forget(): void {
    this.worker = null;
    this.ready = false;
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }

  private scheduleIdleStop(): void {
    if (!this.worker) return;
    this.idleTimer = setTimeout(() => void this.stop(), this.options.idleStopMs ?? IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/**
 * A small young generation: a message's buffers and decoded strings live outside the heap until
 * the small objects that hold them are collected, and frequent small collections free them
 * soon (measured: the process's peak RSS in a first sync 245 MB with the default, 195 MB with
 * this, and the sync faster). Not the process's flags (a loader, an inspector port): the worker
 * needs none.
 */
const WORKER_OPTIONS = { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } };

function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./scan-worker.mjs', here), WORKER_OPTIONS);
  const entry = new URL('./scan-worker.ts', here).href;
  return new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(entry)});`, { ...WORKER_OPTIONS, eval: true });
}
