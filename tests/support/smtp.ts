import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { deliverLmtp, type LmtpTarget } from './dovecot.js';
import { freePort } from './ports.js';

export interface ReceivedMail {
  /** Envelope sender; '' for the null sender `<>`. */
  from: string;
  /** Envelope recipients, in RCPT TO order. */
  to: string[];
  /** The DATA bytes exactly as received (dot-unstuffed, without the terminating dot). */
  raw: Buffer;
}

export interface SmtpServerOptions {
  /**
   * Deliver every accepted message over LMTP to each envelope recipient before answering 250.
   * When the target lists its users (a `Dovecot` handle does), any other recipient is refused
   * at RCPT time with 550, as a real server refuses an unknown user.
   */
  deliverTo?: LmtpTarget;
  /** AUTH credentials (user → password). When absent, AUTH is optional and any credentials pass. */
  users?: Record<string, string>;
  /** Announce SIZE and answer 552 to anything larger. */
  size?: number;
  /** Listen on this port instead of a free one: a server stopped to simulate an outage comes back where clients expect it. */
  port?: number;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpServerHandle {
  host: '127.0.0.1';
  port: number;
  /** Accepted messages in acceptance order. Failed/forced-error transactions are not recorded. */
  received: ReceivedMail[];
  /** Resolves with all received messages once at least `n` have been accepted. */
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** The next DATA commands are answered with these replies in turn, instead of being accepted. */
  failNext(replies: SmtpReply[]): void;
  /** The next `count` DATA transactions are cut off (socket destroyed) after their first chunk of message bytes. */
  dropNext(count?: number): void;
  /**
   * Holds the next DATA transaction for `ms`: before reading it (the client's upload stalls on TCP
   * backpressure), or after reading it whole and before answering (the client waits for the reply).
   */
  delayNextData(ms: number, when?: 'before-reading' | 'before-replying'): void;
  /** DATA transactions started so far, whatever became of them (accepted, failed, dropped). */
  readonly dataAttempts: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_WAIT_MS = 10_000;
// Grace period before smtp-server sends 421 and drops open sessions on close (its default is 30 s).
const CLOSE_GRACE_MS = 100;

interface Waiter {
  n: number;
  resolve(mails: ReceivedMail[]): void;
}

/** An SMTP submission server on a free loopback port, without TLS, recording what it accepts. */
export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const received: ReceivedMail[] = [];
  const pendingFailures: SmtpReply[] = [];
  const sockets = new Map<number, Socket>();
  let pendingDrops = 0;
  let pendingDelay: { ms: number; when: 'before-reading' | 'before-replying' } | undefined;
  let dataAttempts = 0;
  const waiters = new Set<Waiter>();
  const users = opts.users;

  const notify = (): void => {
    for (const w of waiters) {
      if (received.length >= w.n) {
        waiters.delete(w);
        w.resolve(received.slice());
      }
    }
  };

  const accept = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> => {
    dataAttempts++;
    const delay = pendingDelay;
    pendingDelay = undefined;
    if (delay?.when === 'before-reading') await sleep(delay.ms);
    if (pendingDrops > 0) {
      pendingDrops--;
      await cutAfterFirstChunk(stream, sockets.get(session.remotePort));
      throw smtpError(451, 'connection dropped by the test');
    }
    // The stream must be drained in every case, or the session never gets to reply.
    const raw = await readAll(stream);
    if (delay?.when === 'before-replying') await sleep(delay.ms);
    const forced = pendingFailures.shift();
    if (forced) throw smtpError(forced.code, forced.message);
    if (stream.sizeExceeded) throw smtpError(552, 'Message exceeds fixed maximum message size');

    const mail: ReceivedMail = {
      from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
      to: session.envelope.rcptTo.map((r) => r.address),
      raw,
    };
    if (opts.deliverTo) {
      try {
        await deliverLmtp(opts.deliverTo, mail.to, raw, mail.from);
      } catch (err) {
        // Temporary, so a sending client under test would retry rather than drop the message.
        throw smtpError(451, `LMTP delivery failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // Recorded only after delivery, so a waiter can read the mailbox right away.
    received.push(mail);
    notify();
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: users === undefined,
    // Without TLS, smtp-server refuses AUTH unless told that plaintext is fine.
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: CLOSE_GRACE_MS,
    ...(opts.size !== undefined ? { size: opts.size } : {}),
    onAuth(auth, _session, callback) {
      if (users === undefined) {
        callback(null, { user: auth.username ?? 'anonymous' });
        return;
      }
      const expected = auth.username === undefined ? undefined : users[auth.username];
      if (expected !== undefined && auth.password === expected) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError(535, 'Authentication credentials invalid'));
      }
    },
    onRcptTo(address, _session, callback) {
      const known = opts.deliverTo?.users;
      // A permanent refusal, at once: a mail to nobody is not worth minutes of a sender's retries.
      if (known && !known.some((user) => sameMailbox(user, address.address))) {
        callback(smtpError(550, `5.1.1 <${address.address}>: no such user here`));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      accept(stream, session).then(
        () => callback(),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  // Client-side resets are routine in fault tests; an unhandled 'error' event would kill the worker.
  server.on('error', () => undefined);

  // smtp-server does not hand its sockets to onData; the remote port tells a session's socket apart.
  server.server.on('connection', (socket: Socket) => {
    const remotePort = socket.remotePort;
    if (remotePort === undefined) return;
    sockets.set(remotePort, socket);
    socket.once('close', () => sockets.delete(remotePort));
  });

  const port = opts.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, HOST, () => {
      server.server.off('error', reject);
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    host: HOST,
    port,
    received,
    waitForMessages(n, timeoutMs = DEFAULT_WAIT_MS) {
      if (received.length >= n) return Promise.resolve(received.slice());
      return new Promise<ReceivedMail[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`SMTP server got ${received.length} of ${n} expected messages within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          n,
          resolve: (mails) => {
            clearTimeout(timer);
            resolve(mails);
          },
        };
        waiters.add(waiter);
      });
    },
    failNext(replies) {
      pendingFailures.push(...replies);
    },
    dropNext(count = 1) {
      pendingDrops += count;
    },
    delayNextData(ms, when = 'before-reading') {
      pendingDelay = { ms, when };
    },
    get dataAttempts() {
      return dataAttempts;
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopping;
    },
  };
}

/** Dovecot folds user names to lower case before it looks them up (auth_username_format = %Lu). */
function sameMailbox(user: string, address: string): boolean {
  return user.toLowerCase() === address.toLowerCase();
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Waits for the first bytes of the message, then destroys the connection under the client's feet. */
function cutAfterFirstChunk(stream: SMTPServerDataStream, socket: Socket | undefined): Promise<void> {
  if (!socket) return Promise.reject(new Error('dropNext: the session has no known socket'));
  return new Promise<void>((resolve) => {
    // smtp-server destroys the stream with an error once the socket is gone; that is expected here.
    stream.on('error', () => undefined);
    stream.once('data', () => {
      socket.destroy();
      resolve();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
