// npm run bench -- open-attachment: one message carrying a 30 MB file (base64, as nodemailer
// writes it), synced into an empty store; how soon Postdesk's blob store gives the file's first
// bytes (what the viewer waits for) and how long it takes to give them all (a save), BENCH_RUNS
// times each (7), against `cat` reading the same 30 MB from a plain file. Our side must stay fast
// however an attachment is kept: decoded on its own, or decoded from the raw message on demand.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { mailboxWithFile } from './mail-fixture';
import { benchRuns, MB, median, report, requireTool, round, runWorker, targets } from './support';

const SIZE = 30 * MB;

/** `cat file` with its stdout piped to us: from spawn to its first byte, and to its exit with stdout drained. */
function timeCat(file: string): Promise<{ firstByteMs: number; wholeMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('cat', [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let firstByteMs: number | undefined;
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      firstByteMs ??= performance.now() - started;
      bytes += chunk.length;
    });
    child.on('error', reject);
    // 'close' comes once the process has exited and its stdout has ended.
    child.on('close', (code) => {
      const wholeMs = performance.now() - started;
      if (code !== 0 || bytes !== SIZE || firstByteMs === undefined) reject(new Error(`cat exited with ${code} after ${bytes} of ${SIZE} bytes`));
      else resolve({ firstByteMs, wholeMs });
    });
  });
}

export async function benchOpenAttachment(): Promise<void> {
  requireTool('cat', 'coreutils');
  const runs = benchRuns(7);
  const fixture = await mailboxWithFile(SIZE);
  try {
    const ours = await runWorker<{ firstByteMs: number[]; wholeMs: number[] }>('open-attachment-worker.ts', {
      configFile: fixture.configFile,
      dataDir: path.join(fixture.dir, 'postdesk'),
      sha256: fixture.sha256,
      size: SIZE,
      runs,
    });
    const peer: { firstByteMs: number; wholeMs: number }[] = [];
    for (let run = 0; run < runs; run++) peer.push(await timeCat(fixture.file));

    const wholeMs = median(ours.wholeMs);
    const peerWholeMs = median(peer.map((run) => run.wholeMs));
    const measured = { first_byte_ms: round(median(ours.firstByteMs), 2) };
    report({
      bench: 'open-attachment',
      attachment_mb: SIZE / MB,
      runs,
      ...measured,
      peer: 'cat',
      peer_first_byte_ms: round(median(peer.map((run) => run.firstByteMs)), 2),
      whole_ms: round(wholeMs, 1),
      peer_whole_ms: round(peerWholeMs, 1),
      ratio: round(wholeMs / peerWholeMs),
      first_byte_runs: ours.firstByteMs,
      whole_runs: ours.wholeMs,
      peer_first_byte_runs: peer.map((run) => round(run.firstByteMs, 2)),
      peer_whole_runs: peer.map((run) => round(run.wholeMs, 1)),
      ...targets({ first_byte_ms: 50 }, measured),
    });
  } finally {
    await fixture.stop();
  }
}
