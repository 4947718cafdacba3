// Why something failed, as data: a code the page says in the operator's language, and the
// server's or the system's own words kept after it for whoever fixes it («Не удалось подключиться
// к почтовому серверу (connect ECONNREFUSED 127.0.0.1:51881)»). Main decides the code; only the
// page turns it into words, so a Russian desk never reads English reasons.
import { z } from 'zod';
import type { Translate } from './i18n';

export const FAILURE_CODES = [
  /** No connection could be made (refused, no route, unknown host). */
  'unreachable',
  'connection_failed',
  'connection_lost',
  'timeout',
  'dns',
  'tls',
  'protocol',
  /** The server refused the login. */
  'login_failed',
  /** A permanent refusal of the message (5xx). */
  'server_refused',
  /** A temporary refusal (4xx): tried again later. */
  'server_deferred',
  /** Bigger than the server's SIZE: params size and limit (bytes). */
  'too_large',
  /** Sent, but some recipients were refused: params recipients. */
  'partly_refused',
  /** The message's channel is gone from the config. */
  'not_configured',
  /** The server answered something else that is not a success. */
  'server_error',
  'unknown',
] as const;

export const failureSchema = z.object({
  code: z.enum(FAILURE_CODES),
  /** The server's or the system's own words; '' when there are none. */
  detail: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export type Failure = z.output<typeof failureSchema>;
export type FailureCode = Failure['code'];

/** Failures that say the server could not be reached or used at all (not that it refused one message). */
const CONNECTION_FAILURES = new Set<FailureCode>(['unreachable', 'connection_failed', 'connection_lost', 'timeout', 'dns', 'tls', 'protocol', 'login_failed']);

export function isConnectionFailure(f: Failure): boolean {
  return CONNECTION_FAILURES.has(f.code);
}

export function failure(code: FailureCode, detail = '', params?: Failure['params']): Failure {
  return params ? { code, detail, params } : { code, detail };
}

/** As the store keeps it (one TEXT column). */
export function encodeFailure(f: Failure | null): string | null {
  return f === null ? null : JSON.stringify(f);
}

/** From the store; what an older version wrote there (plain English words) is kept as the detail. */
export function decodeFailure(text: string | null): Failure | null {
  if (text === null) return null;
  try {
    const parsed = failureSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: an older row
  }
  return failure('unknown', text);
}

/** The failure in the operator's words, the server's own after them in brackets. */
export function failureText(f: Failure, t: Translate, formatSize: (bytes: number) => string): string {
  const params: Record<string, string | number> = { ...f.params, detail: f.detail };
  for (const key of ['size', 'limit'] as const) if (typeof params[key] === 'number') params[key] = formatSize(params[key]);
  const words = t(`failure.${f.code}`, params);
  return f.detail && f.code !== 'unknown' && f.code !== 'server_error' ? `${words} (${f.detail})` : words;
}
