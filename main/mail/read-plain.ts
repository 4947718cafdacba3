// The fast path on a raw message wherever it is: in memory (fetched whole) or its file in the
// blob store (streamed to disk). Run in the scan worker (scan-worker.ts) during a sync, and on
// the main thread where there is no worker (npm run compact, a single ingest).
import type { BlobWriter } from '../files/blob-store';
import { bytesOfFile } from './message-bytes';
import { parseMessageFast } from './parse-fast';
import type { ParsedMessage } from './parse-message';

/** The message's fields with its files as ranges, or null when it is not plainly well-formed. */
export async function readPlainMessage(source: Buffer | string, writer: BlobWriter): Promise<ParsedMessage | null> {
  if (Buffer.isBuffer(source)) return parseMessageFast(source, writer);
  const file = await bytesOfFile(source);
  try {
    return await parseMessageFast(file, writer);
  } finally {
    await file.close();
  }
}

/** For a reader that must not store anything: a plain message needs no writes, so any write means it is not plain. */
export const NO_WRITES: BlobWriter = {
  put: () => Promise.reject(new Error('a plain message is read without writing')),
  putBuffer: () => Promise.reject(new Error('a plain message is read without writing')),
};
