import { ImapFlow } from 'imapflow';
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

export function describeImapError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return `login failed${e.responseText ? `: ${e.responseText}` : ''}`;
  if (e.responseText) return `${e.message}: ${e.responseText}`;
  return e.code ? `${e.message} (${e.code})` : e.message;
}
