// What a request may carry into the browser host, checked before anything acts on it: the
// size of a JSON body and the file name of an upload.
import type { IncomingMessage } from 'node:http';

/** The declared body length, or null when the request does not declare one (chunked). */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  return header === undefined ? null : Number(header);
}

/**
 * The body as text, or null as soon as it passes `max` bytes: reading stops there (the answer
 * then closes the connection), so a client cannot make the host hold or read more than that.
 */
export function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  if ((declaredLength(req) ?? 0) > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** As long as the contract lets a dropped file's name be (drafts.attachBytes). */
export const MAX_FILE_NAME_LENGTH = 1000;

export type FileNameHeader = { ok: true; name: string } | { ok: false; problem: 'missing' | 'encoding' | 'empty' | 'too_long' | 'control' };

// C0, DEL and C1 controls: a name with a line break or a NUL is no file an operator chose.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The page sends the name percent-encoded (UTF-8), so the raw header is printable ASCII. */
export function parseFileNameHeader(header: string | string[] | undefined): FileNameHeader {
  if (typeof header !== 'string') return { ok: false, problem: 'missing' };
  if (!/^[\x20-\x7e]*$/.test(header)) return { ok: false, problem: 'encoding' };
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    return { ok: false, problem: 'encoding' };
  }
  if (name.trim() === '') return { ok: false, problem: 'empty' };
  if (name.length > MAX_FILE_NAME_LENGTH) return { ok: false, problem: 'too_long' };
  if (CONTROL.test(name)) return { ok: false, problem: 'control' };
  return { ok: true, name };
}
