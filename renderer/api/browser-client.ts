// The renderer's API in the browser host: the same verbs as the Electron preload, carried over
// fetch (requests) and EventSource (events). The session lives in an HttpOnly cookie; the
// JSON type and the X-Postdesk header tell the host the call comes from this page (a form or a
// page on another port cannot send them without a preflight the host refuses).
import { events as eventSchemas, type DraftView, type EventName, type EventPayload, type Result } from '../../preload/contract';
import { isEventName } from '../../preload/names';
import { fileUrls } from '../../common/file-urls';
import { buildApi, type Call, type PostdeskApi } from '../../preload/verbs';

const request: Call = async (name, input) => {
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Postdesk': '1' },
      credentials: 'same-origin',
      body: JSON.stringify({ input }),
    });
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: `Postdesk is not reachable: ${(error as Error).message}` } };
  }
  return (await response.json()) as Result<unknown>;
};

type Listener = (payload: unknown) => void;

async function uploadFile(draftId: number, file: File): Promise<Result<DraftView>> {
  try {
    const response = await fetch(`/upload/draft/${draftId}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-File-Name': encodeURIComponent(file.name), 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    return (await response.json()) as Result<DraftView>;
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: `Postdesk is not reachable: ${(error as Error).message}` } };
  }
}

export function createBrowserApi(): PostdeskApi {
  const listeners = new Map<EventName, Set<Listener>>();
  const wired = new Set<EventName>();
  let source: EventSource | undefined;
  /**
   * Settles once the event stream is open, or has failed to (a page the host refuses learns why
   * from its first request). The host sends events only to the streams it has, so what a request
   * read before this page's stream was there could change unseen: a channel read during its sync
   * stayed "Syncing 1 of 2" after the sync had ended. Requests wait for it, so every change after
   * what they read reaches the page.
   */
  let streamOpen: Promise<void> = Promise.resolve();
  const call: Call = async (name, input) => {
    await streamOpen;
    return request(name, input);
  };

  function ensureSource(event: EventName): void {
    if (!source) {
      const stream = new EventSource('/api/events', { withCredentials: true });
      streamOpen = new Promise((resolve) => {
        stream.addEventListener('open', () => resolve(), { once: true });
        stream.addEventListener('error', () => resolve(), { once: true });
      });
      source = stream;
    }
    if (wired.has(event)) return;
    wired.add(event);
    source.addEventListener(event, (message) => {
      const payload = eventSchemas[event].safeParse(JSON.parse((message as MessageEvent<string>).data));
      if (!payload.success) return;
      for (const listener of listeners.get(event) ?? []) listener(payload.data);
    });
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener as Listener);
    ensureSource(event);
    return () => listeners.get(event)?.delete(listener as Listener);
  }

  return { ...buildApi(call, on, fileUrls.inline, fileUrls.remoteImage), uploadFile };
}
