// One worker thread that reads plain messages for the ingest (scan-worker.ts). Hashing a
// message and its files and parsing its skeleton is most of a sync's CPU; on a thread of its own
// it runs beside the IMAP connection's, and the main thread stays free for the page.
//
// From the build (dist/main/main.js, a bench or test bundle) the worker is the bundle
// scan-worker.mjs beside it; from source (vitest, tsx) it loads its TypeScript with tsx, a
// development dependency. A worker that fails is replaced; its messages are read the full way.
import { Worker } from 'node:worker_threads';
import type { ParsedMessage } from './parse-message';

interface Pending {
  resolve(parsed: ParsedMessage | null): void;
}

export class ScanPool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** The message's fields with its files as ranges, or null when it is not plain (or the worker failed). */
  scan(source: Buffer | string): Promise<ParsedMessage | null> {
    if (this.closed) return Promise.resolve(null);
    const id = this.nextId++;
    const answer = new Promise<ParsedMessage | null>((resolve) => this.pending.set(id, { resolve }));
    const worker = this.running();
    if (Buffer.isBuffer(source)) {
      // A copy of its own to hand over: the source may be a view into a larger buffer.
      const bytes = new Uint8Array(source);
      worker.postMessage({ id, bytes }, [bytes.buffer]);
    } else {
      worker.postMessage({ id, file: source });
    }
    return answer;
  }

  /** Starts the worker now, so the first message does not wait for it to load. */
  warmUp(): void {
    if (!this.closed) this.running();
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.settleAll();
    await worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.unref();
    worker.on('message', ({ id, parsed }: { id: number; parsed: ParsedMessage | null }) => {
      this.pending.get(id)?.resolve(parsed);
      this.pending.delete(id);
    });
    const failed = () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settleAll();
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    this.worker = worker;
    return worker;
  }

  /** Every message waiting is read the full way. */
  private settleAll(): void {
    for (const { resolve } of this.pending.values()) resolve(null);
    this.pending.clear();
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
