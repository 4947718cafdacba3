// The single door every request passes, whichever transport brought it: the channel must be
// in the contract, the input must parse with its schema, and whatever happens the caller gets
// data back ({ok, value} or {ok: false, error}), never a stack trace.
import { z } from 'zod';
import {
  isRequestChannel,
  requests,
  type ApiError,
  type RequestChannel,
  type RequestOutput,
  type Result,
} from '../../preload/contract';
import { AppError } from '../errors';
import { stderrLogger } from '../log/logger';

type ParsedInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;

export type HandlerTable = {
  [C in RequestChannel]: (input: ParsedInput<C>) => Promise<RequestOutput<C>> | RequestOutput<C>;
};

function failure(code: ApiError['code'], message: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Records a failed request; returns the reference of the log line that holds it. */
export type ErrorLog = (channel: string, error: unknown) => string;

const logToStderr: ErrorLog = (channel, error) => stderrLogger.error(`${channel} failed`, error);

export async function dispatch(
  table: HandlerTable,
  channel: string,
  rawInput: unknown,
  log: ErrorLog = logToStderr,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) return failure('unknown_channel', `There is no request "${channel}".`);
  const spec = requests[channel];
  const input = spec.input.safeParse(rawInput);
  if (!input.success) {
    return failure('invalid_input', z.prettifyError(input.error), { channel });
  }
  try {
    const handler = table[channel] as (input: unknown) => unknown;
    const value = await handler(input.data);
    return { ok: true, value: spec.output.parse(value) };
  } catch (error) {
    if (error instanceof AppError) return failure(error.code, error.message, error.details);
    const ref = log(channel, error);
    return failure('internal', `Postdesk could not complete this request; the details are in its log (reference ${ref}).`, { ref });
  }
}
