// Virus scanning with ClamAV's clamd over its INSTREAM command: the bytes are streamed to the
// daemon in length-prefixed chunks, so clamd needs no access to our files and may run on
// another host. Without a configured daemon every verdict is 'off'; with one that cannot be
// reached (or refuses the file) the verdict is 'not_scanned' with the reason — never a silent
// "clean".
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { ScanVerdict } from '../../common/domain/attachment';

export interface VirusScanner {
  /** Whether a scanner is configured at all ('off' verdicts otherwise). */
  readonly enabled: boolean;
  scan(open: () => Readable): Promise<ScanVerdict>;
}

/** Where clamd listens: "host:port" (TCP) or the path of its unix socket. */
export type ClamdAddress = { host: string; port: number } | { path: string };

export function parseClamdAddress(value: string): ClamdAddress | null {
  if (value.startsWith('/')) return { path: value };
  const match = /^(\[[0-9a-f:]+\]|[^:\s/]+):(\d{1,5})$/i.exec(value);
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65535) return null;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** The scanner the config asks for: clamd, or none. */
export function scannerFor(config: { clamd: string } | undefined): VirusScanner {
  const address = config ? parseClamdAddress(config.clamd) : null;
  return address ? clamdScanner(address) : noScanner;
}

export const noScanner: VirusScanner = {
  enabled: false,
  scan: async () => ({ status: 'off' }),
};

export interface ClamdOptions {
  /** Connecting, and each wait for clamd to take more bytes or answer. */
  timeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 5_000;
/** INSTREAM's chunk size; clamd's own client sends up to its StreamMaxLength in chunks like these. */
const CHUNK = 64 * 1024;

export function clamdScanner(address: ClamdAddress, options: ClamdOptions = {}): VirusScanner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const where = 'path' in address ? address.path : `${address.host}:${address.port}`;
  return {
    enabled: true,
    async scan(open) {
      try {
        return verdictOf(await instream(address, open, timeoutMs));
      } catch (error) {
        return { status: 'not_scanned', reason: `clamd at ${where}: ${(error as Error).message}` };
      }
    },
  };
}

/** clamd's answer, "stream: OK" or "stream: Eicar-Signature FOUND", as a verdict. */
export function verdictOf(reply: string): ScanVerdict {
  const answer = reply.replace(/^stream:\s*/, '').trim();
  if (answer === 'OK') return { status: 'clean' };
  const found = /^(.+) FOUND$/.exec(answer);
  if (found) return { status: 'infected', signature: found[1]! };
  // "INSTREAM size limit exceeded. ERROR" and the like: clamd did not say the file is clean.
  return { status: 'not_scanned', reason: `clamd answered: ${answer.replace(/\s*ERROR$/, '') || '(nothing)'}` };
}

async function instream(address: ClamdAddress, open: () => Readable, timeoutMs: number): Promise<string> {
  const socket = await connected(address, timeoutMs);
  try {
    let answered = false;
    const reply = readReply(socket);
    // Unhandled until awaited below; a write error surfaces there too.
    reply.then(() => (answered = true)).catch(() => undefined);
    socket.write('zINSTREAM\0');
    const source = open();
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        for (let at = 0; at < chunk.length; at += CHUNK) {
          const piece = chunk.subarray(at, at + CHUNK);
          const length = Buffer.alloc(4);
          length.writeUInt32BE(piece.length);
          // clamd answers early (and closes) when the stream passes its StreamMaxLength.
          if (answered || socket.destroyed) return await reply;
          if (!socket.write(Buffer.concat([length, piece]))) await drained(socket, reply);
        }
      }
    } finally {
      source.destroy();
    }
    if (!socket.destroyed) socket.write(Buffer.alloc(4));
    return await reply;
  } finally {
    socket.destroy();
  }
}

function connected(address: ClamdAddress, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in address ? connect({ path: address.path }) : connect({ host: address.host, port: address.port });
    // A host that drops packets should not hold a save for the whole scan timeout.
    socket.setTimeout(Math.min(timeoutMs, CONNECT_TIMEOUT_MS));
    const fail = (error: Error) => {
      socket.destroy();
      reject(new Error(describe(error)));
    };
    socket.once('error', fail);
    socket.once('timeout', () => fail(new Error('no answer in time')));
    socket.once('connect', () => {
      socket.off('error', fail);
      socket.removeAllListeners('timeout');
      socket.setTimeout(timeoutMs);
      resolve(socket);
    });
  });
}

/** The reply up to its NUL terminator (the "z" commands end replies with one). */
function readReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const end = all.indexOf(0);
      if (end >= 0) resolve(all.toString('utf8', 0, end));
    });
    socket.once('end', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      if (all.trim()) resolve(all.replace(/\0.*$/s, ''));
      else reject(new Error('the connection closed without an answer'));
    });
    socket.once('timeout', () => reject(new Error('no answer in time')));
    socket.once('error', (error) => reject(new Error(describe(error))));
  });
}

function drained(socket: Socket, reply: Promise<string>): Promise<unknown> {
  return Promise.race([new Promise((resolve) => socket.once('drain', resolve)), reply]);
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOENT') return 'no such socket';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  if (code === 'ENOTFOUND') return 'unknown host';
  if (code === 'EPIPE' || code === 'ECONNRESET') return 'the connection closed without an answer';
  return error.message;
}
