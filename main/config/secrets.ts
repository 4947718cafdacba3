import { AppError } from '../errors';
import type { ServerConfig } from './schema';

/** A channel's password: written in the config, or (better) named there as an environment variable. */
export function resolvePassword(server: ServerConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (server.password !== undefined) return server.password;
  const value = server.passwordEnv ? env[server.passwordEnv] : undefined;
  if (value === undefined) {
    // Not named here: the config loader never prints passwordEnv either (see load.ts), since a
    // password pasted there by mistake would otherwise show on every operator's screen.
    throw new AppError('channel_unreachable', 'The environment variable that this channel\'s passwordEnv names is not set.');
  }
  return value;
}
