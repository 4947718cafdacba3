// The single door every request passes, whichever transport brought it: the request must be
// in the contract, the input must parse with its schema, and whatever happens the caller gets
// data back ({ok, value} or {ok: false, error}), never a stack trace.
import { z } from 'zod';
import { requests, type ApiError, type RequestOutput, type Result } from '../../preload/contract';
import { isRequestName, type RequestName } from '../../preload/names';
import { AppError } from '../errors';
import { stderrLogger } from '../log/logger';

type ParsedInput<C extends RequestName> = z.output<(typeof requests)[C]['input']>;

/** A request that answers nothing is served by a service method that returns nothing. */
type Answer<C extends RequestName> = RequestOutput<C> extends undefined ? void : RequestOutput<C>;

export type HandlerTable = {
  [C in RequestName]: (input: ParsedInput<C>) => Promise<Answer<C>> | Answer<C>;
};

function failure(code: ApiError['code'], message: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Records a failed request; returns the reference of the log line that holds it. */
export type ErrorLog = (request: string, error: unknown) => string;

const logToStderr: ErrorLog = (request, error) => stderrLogger.error(`${request} failed`, error);

export async function dispatch(
  table: HandlerTable,
  name: string,
  rawInput: unknown,
  log: ErrorLog = logToStderr,
): Promise<Result<unknown>> {
  if (!isRequestName(name)) return failure('unknown_request', `There is no request "${name}".`);
  const spec = requests[name];
  const input = spec.input.safeParse(rawInput);
  if (!input.success) {
    return failure('invalid_input', z.prettifyError(input.error), { request: name });
  }
  try {
    const handler = table[name] as (input: unknown) => unknown;
    const value = await handler(input.data);
    return { ok: true, value: spec.output.parse(value) };
  } catch (error) {
    if (error instanceof AppError) return failure(error.code, error.message, error.details);
    const ref = log(name, error);
    return failure('internal', `Postdesk could not complete this request; the details are in its log (reference ${ref}).`, { ref });
  }
}
