import { ImapFlow } from 'imapflow';
import { failure, type Failure } from '../../common/failure';
import { resolvePassword } from '../config/secrets';
import type { ChannelConfig } from '../config/schema';

export interface ImapClientOptions {
  /** Quiet time before IDLE starts; short for the sync connection so new mail arrives within a second. */
  autoIdleDelay?: number;
  env?: NodeJS.ProcessEnv;
}

export function createImapClient(channel: ChannelConfig, options: ImapClientOptions = {}): ImapFlow {
  const { imap } = channel;
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.tls === 'implicit',
    // "none" is only accepted for loopback hosts (see the config schema); never downgrade otherwise.
    doSTARTTLS: imap.tls === 'starttls' ? true : imap.tls === 'none' ? false : undefined,
    auth: { user: imap.user ?? channel.address, pass: resolvePassword(imap, options.env) },
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    ...(options.autoIdleDelay !== undefined ? { autoIdleDelay: options.autoIdleDelay } : {}),
  });
}

/** Why an IMAP connection or command failed, as the page says it (common/failure.ts), the server's or system's words kept. */
export function imapFailure(error: unknown): Failure {
  if (!(error instanceof Error)) return failure('unknown', String(error));
  const e = error as Error & { responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return failure('login_failed', e.responseText ?? '');
  if (e.responseText) return failure('server_error', `${e.message}: ${e.responseText}`);
  const words = e.code ? `${e.message} (${e.code})` : e.message;
  if (/\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/.test(words)) return failure('unreachable', words);
  if (/timeout|ETIMEDOUT/i.test(words)) return failure('timeout', words);
  if (/closed|ECONNRESET|EPIPE/i.test(words)) return failure('connection_lost', words);
  return failure('unknown', words);
}
