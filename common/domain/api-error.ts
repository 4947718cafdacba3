// How a request fails, the same on both transports: a code the page can act on, a message it can show.
// 'unsupported': the request exists, but not on this transport (the browser host has no updater).
import { z } from 'zod';

export const ERROR_CODES = ['invalid_input', 'unknown_request', 'forbidden', 'not_found', 'channel_unreachable', 'unsupported', 'internal'] as const;

export const apiError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ApiError = z.output<typeof apiError>;
export type ErrorCode = ApiError['code'];
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
