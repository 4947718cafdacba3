// SMTP sessions (nodemailer's SMTPConnection): one per send attempt, whose envelope carries SIZE
// so an oversized message is refused before upload and whose upload reports its progress in
// bytes, and one per Check connection, which logs in and quits. judge() reads the failures of both.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isPermanentResponseCode } from 'nodemailer/lib/errors';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { resolvePassword } from '../config/secrets';
import type { ChannelConfig } from '../config/schema';
import { failure, type Failure, type FailureCode } from '../../common/failure';
import { AppError } from '../errors';

const PROGRESS_BYTES = 256 * 1024;
const PROGRESS_MS = 100;
/**
 * Network failures nodemailer reports by code, all worth another attempt; the page says them in
 * the operator's language, and the system's own words follow ("connect ECONNREFUSED …").
 */
const NETWORK_FAILURES: Record<string, FailureCode> = {
  ECONNECTION: 'connection_failed',
  ESOCKET: 'connection_lost',
  ETIMEDOUT: 'timeout',
  EDNS: 'dns',
  ETLS: 'tls',
  EPROTOCOL: 'protocol',
};

/** An attempt cut short by stop(): the message goes back to "queued", it is not a failure. */
export class Interrupted extends Error {}

export interface Upload {
  file: string;
  size: number;
  envelope: { from: string; to: string[] };
  onProgress(sent: number): void;
  env: NodeJS.ProcessEnv | undefined;
}

/**
 * One SMTP session: connect, authenticate, send one message, quit. `abort()` closes the
 * connection only while the message is still being uploaded: once the last byte is handed
 * over the server may already have accepted it, and cutting in then could make the next
 * start send it a second time, so the session is left to finish (bounded by socketTimeout).
 */
export function smtpSend(channel: ChannelConfig, upload: Upload): { done: Promise<SMTPConnectionSendInfo>; abort(): void } {
  let uploaded = false;
  // Pulled only once the server has taken the envelope, so progress counts bytes really on their way.
  const message = Readable.from(countBytes(upload.file, upload.onProgress, () => (uploaded = true)), { objectMode: false });
  const session = loggedIn<SMTPConnectionSendInfo>(channel, upload.env, (connection, resolve, fail) =>
    connection.send({ ...upload.envelope, size: upload.size }, message, (sendError, info) => {
      if (sendError) return fail(sendError);
      resolve(info);
      connection.quit();
    }),
  );
  return {
    done: session.done.finally(() => message.destroy()),
    abort: () => {
      if (!uploaded) session.fail(new Interrupted());
    },
  };
}

/** Check connection: connect, log in and quit, as a send would; rejects with what went wrong. */
export function smtpCheck(channel: ChannelConfig, env?: NodeJS.ProcessEnv): Promise<void> {
  return loggedIn<void>(channel, env, (connection, resolve) => {
    resolve();
    connection.quit();
  }).done;
}

/** An SMTP session up to a logged-in connection, then `work`; `fail` closes it and rejects. */
function loggedIn<T>(
  channel: ChannelConfig,
  env: NodeJS.ProcessEnv | undefined,
  work: (connection: SMTPConnection, resolve: (value: T) => void, fail: (error: unknown) => void) => void,
): { done: Promise<T>; fail(error: unknown): void } {
  const { smtp } = channel;
  // Read before connecting: a missing password is a configuration problem, not a network one.
  const auth = { user: smtp.user ?? channel.address, pass: resolvePassword(smtp, env) };
  const connection = new SMTPConnection({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'implicit',
    requireTLS: smtp.tls === 'starttls',
    // "none" is accepted for loopback hosts only (see the config schema).
    ignoreTLS: smtp.tls === 'none',
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    logger: false,
  });
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<T>((resolve, reject) => {
    fail = (error) => {
      connection.close();
      reject(error);
    };
    connection.on('error', fail);
    connection.connect((error) => {
      if (error) return fail(error);
      const go = (): void => work(connection, resolve, fail);
      if (!connection.allowsAuth) return go();
      connection.login(auth, (loginError) => (loginError ? fail(loginError) : go()));
    });
  });
  return { done, fail: (error) => fail(error) };
}

/** The file's bytes, reporting the count so far every 256 KB or 100 ms, and once at the end. */
async function* countBytes(file: string, report: (sent: number) => void, onEnd: () => void): AsyncGenerator<Buffer> {
  let sent = 0;
  let reportedBytes = 0;
  let reportedAt = 0;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    sent += bytes.length;
    const now = Date.now();
    if (sent - reportedBytes >= PROGRESS_BYTES || now - reportedAt >= PROGRESS_MS) {
      reportedBytes = sent;
      reportedAt = now;
      report(sent);
    }
    yield bytes;
  }
  onEnd();
  report(sent);
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message: string;
}

function asSmtpFailure(error: unknown): SmtpFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & Partial<Omit<SmtpFailure, 'message'>>;
  return { code: e.code, responseCode: e.responseCode, response: e.response, command: e.command, message: e.message };
}

/** Whether another attempt may succeed, and why it failed (the server's own reply as the detail when there is one). */
export function judge(error: unknown, size?: number): { retry: boolean; reason: Failure } {
  if (error instanceof AppError) return { retry: false, reason: failure(error.code === 'not_found' ? 'not_configured' : 'unknown', error.message) };
  const f = asSmtpFailure(error);
  if (f.code === 'EAUTH') return { retry: false, reason: failure('login_failed', f.response ?? f.message) };
  if (f.responseCode !== undefined) {
    const permanent = isPermanentResponseCode(f.responseCode);
    return { retry: !permanent, reason: failure(permanent ? 'server_refused' : 'server_deferred', f.response ?? f.message) };
  }
  // nodemailer refuses before MAIL FROM when the server announced a smaller SIZE.
  const limit = f.code === 'EMESSAGE' ? /larger than allowed (\d+)/.exec(f.message)?.[1] : undefined;
  if (limit !== undefined) {
    return { retry: false, reason: failure('too_large', '', { limit: Number(limit), ...(size !== undefined ? { size } : {}) }) };
  }
  // nodemailer files a refused connect under ESOCKET too; the system's words tell them apart.
  const unreachable = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/.test(f.message);
  const code = f.code === undefined ? undefined : unreachable ? 'unreachable' : NETWORK_FAILURES[f.code];
  return { retry: code !== undefined, reason: failure(code ?? 'unknown', f.message) };
}

/** A note for a message sent to some recipients only: which ones the server refused, and why. */
export function refusedNote(info: SMTPConnectionSendInfo): Failure | null {
  if (info.rejected.length === 0) return null;
  const why = (info.rejectedErrors ?? []).map((e) => e.response ?? e.message);
  return failure('partly_refused', why.join('; '), { recipients: info.rejected.join(', ') });
}
