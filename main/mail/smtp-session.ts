// One SMTP session per attempt (nodemailer's SMTPConnection): the envelope carries SIZE so an
// oversized message is refused before upload, and the upload reports its progress in bytes.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isPermanentResponseCode } from 'nodemailer/lib/errors';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { resolvePassword } from '../config/secrets';
import type { ChannelConfig } from '../config/schema';
import { AppError } from '../errors';

const PROGRESS_BYTES = 256 * 1024;
const PROGRESS_MS = 100;
/** nodemailer error codes of a connection that broke or never came up: worth another try. */
/**
 * Network failures nodemailer reports by code, all worth another attempt, in words an operator
 * can act on; the system's own words follow for the administrator ("connect ECONNREFUSED …").
 */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNECTION: 'The connection to the mail server failed',
  ESOCKET: 'The connection to the mail server was lost',
  ETIMEDOUT: 'The mail server did not answer in time',
  EDNS: 'The mail server’s name could not be resolved',
  ETLS: 'The secure connection to the mail server failed',
  EPROTOCOL: 'The mail server answered something unexpected',
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
  const { smtp } = channel;
  // Read before connecting: a missing password is a configuration problem, not a network one.
  const auth = { user: smtp.user ?? channel.address, pass: resolvePassword(smtp, upload.env) };
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
  let uploaded = false;
  // Pulled only once the server has taken the envelope, so progress counts bytes really on their way.
  const message = Readable.from(countBytes(upload.file, upload.onProgress, () => (uploaded = true)), { objectMode: false });

  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<SMTPConnectionSendInfo>((resolve, reject) => {
    fail = (error) => {
      connection.close();
      reject(error);
    };
    connection.on('error', fail);
    connection.connect((error) => {
      if (error) return fail(error);
      const send = (): void =>
        connection.send({ ...upload.envelope, size: upload.size }, message, (sendError, info) => {
          if (sendError) return fail(sendError);
          resolve(info);
          connection.quit();
        });
      if (!connection.allowsAuth) return send();
      connection.login(auth, (loginError) => (loginError ? fail(loginError) : send()));
    });
  }).finally(() => message.destroy());
  return {
    done,
    abort: () => {
      if (!uploaded) fail(new Interrupted());
    },
  };
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

/** Whether another attempt may succeed, and what to tell the operator (the server's own reply if there is one). */
export function judge(error: unknown, size?: number): { retry: boolean; reason: string } {
  if (error instanceof AppError) return { retry: false, reason: error.message };
  const f = asSmtpFailure(error);
  if (f.responseCode !== undefined) {
    return { retry: !isPermanentResponseCode(f.responseCode), reason: f.response ?? f.message };
  }
  // nodemailer refuses before MAIL FROM when the server announced a smaller SIZE.
  const limit = f.code === 'EMESSAGE' ? /larger than allowed (\d+)/.exec(f.message)?.[1] : undefined;
  if (limit !== undefined) {
    return { retry: false, reason: `The message is ${size ?? '?'} bytes; the server accepts at most ${limit} bytes (SIZE).` };
  }
  // nodemailer files a refused connect under ESOCKET too; the system's words tell them apart.
  const unreachable = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/.test(f.message);
  const words = f.code === undefined ? undefined : unreachable ? 'Could not connect to the mail server' : NETWORK_FAILURES[f.code];
  return { retry: words !== undefined, reason: words ? `${words}: ${f.message}` : f.message };
}

/** A note for a message sent to some recipients only: which ones the server refused, and why. */
export function refusedNote(info: SMTPConnectionSendInfo): string | null {
  if (info.rejected.length === 0) return null;
  const why = (info.rejectedErrors ?? []).map((e) => e.response ?? e.message);
  return `Not delivered to ${info.rejected.join(', ')}${why.length ? `: ${why.join('; ')}` : ''}`;
}
