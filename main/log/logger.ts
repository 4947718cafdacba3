// What main records behind the door: one file under the data dir (logs/postdesk.log), written
// by pino, with levels. Whatever tells the operator "the details are in its log" gets the
// reference of the very line that holds them. Errors are written as their name, code, message
// and stack, never their other properties, and fields named like secrets are redacted: no
// password, no message body goes into the file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, error?: unknown): void;
  /** Writes the error and returns the line's reference, for the operator to quote. */
  error(message: string, error?: unknown): string;
}

export interface LogFile extends Logger {
  /** The folder the log files are in. */
  readonly dir: string;
  readonly file: string;
  /** Writes what is buffered, then closes the file. */
  close(): Promise<void>;
}

export const LOG_FILE = 'postdesk.log';
/** A log larger than this at start is moved aside (postdesk.1.log, …); three old ones are kept. */
const ROTATE_BYTES = 5 * 1024 * 1024;
const KEPT = 3;
const REDACTED = ['password', 'pass', 'auth', 'token', 'text', 'html', 'body', 'source'].flatMap((key) => [key, `*.${key}`]);

export function openLogFile(dir: string): LogFile {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOG_FILE);
  rotate(dir, file);
  const destination = pino.destination({ dest: file, sync: false });
  const log = pino({ base: undefined, redact: { paths: REDACTED, censor: '[redacted]' }, serializers: { err: errorFields } }, destination);
  return {
    dir,
    file,
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, error) => log.warn(error === undefined ? {} : { err: error }, message),
    error: (message, error) => {
      const ref = randomBytes(4).toString('hex');
      log.error({ ref, ...(error === undefined ? {} : { err: error }) }, message);
      return ref;
    },
    // end() writes what is buffered (once the file is open, if it is not yet), then closes it.
    close: () =>
      new Promise<void>((resolve) => {
        destination.once('close', () => resolve());
        destination.once('error', () => resolve());
        destination.end();
      }),
  };
}

/** For tests and tools that keep no file: lines to stderr. */
export const stderrLogger: Logger = {
  info: (message) => console.error(`[postdesk] ${message}`),
  warn: (message, error) => console.warn(`[postdesk] ${message}:`, error),
  error: (message, error) => {
    const ref = randomBytes(4).toString('hex');
    console.error(`[postdesk] ${message} (ref ${ref}):`, error);
    return ref;
  },
};

/** An error as the log keeps it: what it is and where it came from, nothing it happens to carry. */
function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as NodeJS.ErrnoException).code;
  return { type: error.name, message: error.message, ...(code ? { code } : {}), stack: error.stack, ...(error.cause ? { cause: errorFields(error.cause) } : {}) };
}

function rotate(dir: string, file: string): void {
  if (!existsSync(file) || statSync(file).size < ROTATE_BYTES) return;
  const old = (n: number) => path.join(dir, `postdesk.${n}.log`);
  for (let n = KEPT - 1; n >= 1; n--) if (existsSync(old(n))) renameSync(old(n), old(n + 1));
  renameSync(file, old(1));
}
