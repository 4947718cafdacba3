// Our side of the open-attachment bench: Postdesk's services, on an empty data dir, sync the
// mailbox's one message, then open its attachment as the viewer and a save do, through
// services.blobs.open(blobKey) alone (whether the blob store holds the decoded file or decodes
// it from the raw message on demand): time to the first chunk, and to the end of the stream.
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { firstSync, openBenchServices, readStdinJson, round } from './support';

const input = await readStdinJson<{ configFile: string; dataDir: string; sha256: string; size: number; runs: number }>();
const services = await openBenchServices(input.configFile, input.dataDir);
const { messageIds } = await firstSync(services, 1);
const attachments = services.attachments.listForMessage(messageIds[0]!);
if (attachments.length !== 1) throw new Error(`the message has ${attachments.length} attachments, not 1`);
const { blobKey, size } = attachments[0]!;

// Awaited, so that an open() that resolves to its stream serves as well as one that returns it.
const open = async (): Promise<Readable> => await services.blobs.open(blobKey);

/** Reads the whole attachment; resolves to its byte count, and to its SHA-256 when `hash`. */
async function readWhole(hash: boolean): Promise<{ bytes: number; sha256?: string }> {
  const digest = hash ? createHash('sha256') : undefined;
  let bytes = 0;
  for await (const chunk of await open()) {
    bytes += (chunk as Buffer).length;
    digest?.update(chunk as Buffer);
  }
  return { bytes, sha256: digest?.digest('hex') };
}

// Untimed, once: the bytes must be the ones attached, or the timings below mean nothing.
const whole = await readWhole(true);
if (whole.sha256 !== blobKey) throw new Error(`the attachment's content hashes to ${whole.sha256}, not to its blob key ${blobKey}`);
if (blobKey !== input.sha256 || whole.bytes !== input.size || size !== input.size) {
  throw new Error(`stored ${whole.bytes} bytes (recorded size ${size}, key ${blobKey}); attached ${input.size} bytes, SHA-256 ${input.sha256}`);
}

const firstByteMs: number[] = [];
const wholeMs: number[] = [];
for (let run = 0; run < input.runs; run++) {
  let started = performance.now();
  const stream = await open();
  await once(stream, 'data');
  firstByteMs.push(round(performance.now() - started, 3));
  stream.destroy();

  started = performance.now();
  const { bytes } = await readWhole(false);
  wholeMs.push(round(performance.now() - started, 3));
  if (bytes !== input.size) throw new Error(`read ${bytes} bytes of ${input.size}`);
}
await services.close();
console.log(JSON.stringify({ firstByteMs, wholeMs }));
