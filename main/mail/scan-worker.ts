// The scan worker's thread (started by scan-pool.ts): reads plain messages, hashing and
// decoding every file's bytes and running mailparser over the skeleton, so a first sync of a
// large mailbox keeps the main thread free for the page and the IMAP connection.
//
// In: { id, bytes: Uint8Array } or { id, file: string } (the raw message's file).
// Out: { id, parsed: ParsedMessage | null }; null when the message is not plain, or reading it
// failed here: the main thread then reads it the full way, which reports what is wrong.
import { parentPort } from 'node:worker_threads';
import { NO_WRITES, readPlainMessage } from './read-plain';

type Request = { id: number; bytes: Uint8Array } | { id: number; file: string };

parentPort!.on('message', (request: Request) => {
  const source = 'bytes' in request ? Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength) : request.file;
  readPlainMessage(source, NO_WRITES).then(
    (parsed) => parentPort!.postMessage({ id: request.id, parsed }),
    () => parentPort!.postMessage({ id: request.id, parsed: null }),
  );
});
