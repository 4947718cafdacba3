// The scan worker's thread (started by scan-pool.ts): reads plain messages, hashing and
// decoding every file's bytes and running mailparser over the skeleton, so a first sync of a
// large mailbox keeps the main thread free for the page and the IMAP connection.
//
// In: { id, bytes: Uint8Array } (the raw message).
// Out: 'ready' once loaded; then { id, parsed: ParsedMessage | null } for each message: null when
// it is not plain, or reading it failed here: the main thread then reads it the full way, which
// reports what is wrong.
import { parentPort } from 'node:worker_threads';
import { NO_WRITES, readPlainMessage } from './read-plain';

parentPort!.on('message', (request: { id: number; bytes: Uint8Array }) => {
  const source = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  readPlainMessage(source, NO_WRITES).then(
    (parsed) => parentPort!.postMessage({ id: request.id, parsed }),
    () => parentPort!.postMessage({ id: request.id, parsed: null }),
  );
});
parentPort!.postMessage('ready');
