// Turns the contract's request names ("channels.check") into domain verbs
// (`api.channels.check({id})`). Both transports — the Electron preload and the browser
// client — build the renderer's API with this, so its shape cannot drift between them.
import { REQUEST_NAMES, type RequestName } from './names';
import type { DraftView, EventName, EventPayload, RequestInput, RequestOutput, Result } from './contract';

type Namespace = RequestName extends `${infer N}.${string}` ? N : never;

type Verb<C extends RequestName> =
  RequestInput<C> extends undefined
    ? () => Promise<Result<RequestOutput<C>>>
    : (input: RequestInput<C>) => Promise<Result<RequestOutput<C>>>;

export type Verbs = {
  [N in Namespace]: {
    [C in RequestName as C extends `${N}.${infer V}` ? V : never]: Verb<C>;
  };
};

export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

export type PostdeskApi = Verbs & {
  on: Subscribe;
  /** Where the page loads an attachment image from (never a path: an opaque id on our own scheme or route). */
  fileUrl(attachmentId: number): string;
  /** Where the page loads a message's remote https image from after Show images: main fetches it (never the page). */
  remoteImageUrl(messageId: number, url: string): string;
  /** Sends a file the page holds (file chooser, drop, paste) into a draft: an HTTP upload in the browser host, its bytes over IPC in the desktop app. */
  uploadFile?(draftId: number, file: File): Promise<Result<DraftView>>;
};

export type Call = (name: RequestName, input: unknown) => Promise<Result<unknown>>;

export function buildApi(
  call: Call,
  on: Subscribe,
  fileUrl: (attachmentId: number) => string,
  remoteImageUrl: (messageId: number, url: string) => string,
): PostdeskApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of REQUEST_NAMES) {
    const [namespace, verb] = name.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][verb] = (input?: unknown) => call(name, input);
  }
  return Object.assign(api as unknown as Verbs, { on, fileUrl, remoteImageUrl });
}
