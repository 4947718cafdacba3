import { ImapFlow } from 'imapflow';
import { resolvePassword } from '../config/secrets';
import type { ChannelConfig } from '../config/schema';

export function createImapClient(channel: ChannelConfig, env: NodeJS.ProcessEnv = process.env): ImapFlow {
  const { imap } = channel;
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.tls === 'implicit',
    // "none" is only accepted for loopback hosts (see the config schema); never downgrade otherwise.
    doSTARTTLS: imap.tls === 'starttls' ? true : imap.tls === 'none' ? false : undefined,
    auth: { user: imap.user ?? channel.address, pass: resolvePassword(imap, env) },
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  });
}
