// The scan pool reads a message or two on the main thread and a backlog on its worker thread,
// with the very result the main thread gives; a worker that dies leaves its messages to the
// full parser (null) and is replaced; an idle worker stops. The worker is real: here it loads
// the TypeScript sources through tsx, as the bundle loads scan-worker.mjs in the app.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanPool } from '../../main/mail/scan-pool';
import { NO_WRITES, readPlainMessage } from '../../main/mail/read-plain';
import { CLIENT, OPERATOR } from '../support/config-file';
import { buildMessage } from '../support/mail-builder';

const message = (i: number) =>
  buildMessage({
    from: CLIENT.address,
    to: OPERATOR.address,
    subject: `Scan ${i}`,
    text: `Message ${i}.`,
    attachments: [{ filename: `file-${i}.pdf`, content: randomBytes(200_000 + i), contentType: 'application/pdf' }],
  });

describe('ScanPool', () => {
  let pool: ScanPool;
  afterEach(() => pool?.close());

  it('reads one message at a time on this thread, and starts no worker', async () => {
    pool = new ScanPool();
    const raw = await message(1);
    expect(await pool.scan(raw)).toEqual(await readPlainMessage(raw, NO_WRITES));
    expect(await pool.scan(await message(2))).not.toBeNull();
    expect(pool.counts).toEqual({ here: 2, inWorker: 0 });
    expect(pool.running).toBe(false);
  });

  it('reads a backlog in its worker, with the same result as here', async () => {
    pool = new ScanPool();
    const raws = await Promise.all(Array.from({ length: 40 }, (_, i) => message(i)));
    // A first sync keeps a few messages in reading at once; the worker takes over once it is up.
    const results: unknown[] = [];
    for (let i = 0; i < raws.length; i += 3) {
      results.push(...(await Promise.all(raws.slice(i, i + 3).map((raw) => pool.scan(raw)))));
      if (pool.running && pool.counts.inWorker === 0) await sleep(200);
    }
    expect(pool.counts.inWorker).toBeGreaterThan(0);
    expect(pool.counts.here + pool.counts.inWorker).toBe(40);
    for (const [i, raw] of raws.entries()) expect(results[i], `message ${i}`).toEqual(await readPlainMessage(raw, NO_WRITES));
  });

  it('answers null for what a dead worker held, and starts another for the next backlog', async () => {
    pool = new ScanPool();
    const raws = await Promise.all(Array.from({ length: 6 }, (_, i) => message(i)));
    await Promise.all(raws.slice(0, 2).map((raw) => pool.scan(raw)));
    await expect.poll(() => (pool as unknown as { ready: boolean }).ready, { timeout: 20_000 }).toBe(true);
    const worker = (pool as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const held = pool.scan(raws[2]!);
    await worker.terminate();
    expect(await held).toBeNull();
    expect(pool.running).toBe(false);
    await Promise.all(raws.slice(3).map((raw) => pool.scan(raw)));
    expect(pool.running).toBe(true);
  });

  it('stops its worker once idle', async () => {
    pool = new ScanPool({ idleStopMs: 100 });
    const raws = await Promise.all(Array.from({ length: 3 }, (_, i) => message(i)));
    await Promise.all(raws.map((raw) => pool.scan(raw)));
    expect(pool.running).toBe(true);
    await expect.poll(() => pool.running, { timeout: 5000 }).toBe(false);
  });
});
