// A PostdeskApi for the renderer's unit tests. Its verbs are the contract's, built by buildApi
// as both real transports build theirs; each answers what the test said it answers, and a verb
// the test gave no answer fails the test. Events come when the test emits them.
import type { ApiError, DraftView, EventName, EventPayload, RequestName, RequestInput, RequestOutput, Result } from '../../preload/contract';
import { buildApi, type PostdeskApi } from '../../preload/verbs';

type Answer<C extends RequestName> = (input: RequestInput<C>) => Result<RequestOutput<C>> | Promise<Result<RequestOutput<C>>>;
type Upload = (draftId: number, file: File) => Result<DraftView> | Promise<Result<DraftView>>;
type Listener = (payload: never) => void;

export interface FakeApi {
  api: PostdeskApi;
  /** What main answers to this request from now on. */
  answer<C extends RequestName>(request: C, answer: Answer<C>): void;
  /** The inputs of every call to this request so far, oldest first. */
  calls<C extends RequestName>(request: C): RequestInput<C>[];
  /** Main tells the page something. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** How many listeners the page has on this event. */
  listeners(event: EventName): number;
  /** What a file sent into a draft (a drop, a paste, the page's file chooser) is answered. */
  upload(answer: Upload): void;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (message: string, code: ApiError['code'] = 'internal', details?: ApiError['details']): Result<never> => ({
  ok: false,
  error: { code, message, ...(details ? { details } : {}) },
});

export function createFakeApi(): FakeApi {
  const answers = new Map<RequestName, (input: unknown) => unknown>();
  const calls = new Map<RequestName, unknown[]>();
  const listeners = new Map<EventName, Set<Listener>>();
  let upload: Upload | undefined;

  const api = buildApi(
    async (request, input) => {
      calls.set(request, [...(calls.get(request) ?? []), input]);
      const answer = answers.get(request);
      if (!answer) throw new Error(`The fake api has no answer for ${request}`);
      return (await answer(input)) as Result<unknown>;
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(listener as Listener));
      return () => set.delete(listener as Listener);
    },
    (attachmentId) => `file:${attachmentId}`,
    (messageId, url) => `image:${messageId}:${url}`,
  );
  api.uploadFile = async (draftId, file) => {
    if (!upload) throw new Error('The fake api has no answer for an upload');
    return upload(draftId, file);
  };

  return {
    api,
    answer(request, answer) {
      answers.set(request, answer as (input: unknown) => unknown);
    },
    calls<C extends RequestName>(request: C) {
      return (calls.get(request) ?? []) as RequestInput<C>[];
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (payload: unknown) => void)(payload);
    },
    listeners: (event) => listeners.get(event)?.size ?? 0,
    upload(answer) {
      upload = answer;
    },
  };
}

/** An answer the test gives when it chooses, to put something in between the request and its answer. */
export function later<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every answer already given reach the stores (what the page does after a request is answered). */
export const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
