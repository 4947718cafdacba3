// The Electron preload: runs sandboxed, exposes domain verbs as `window.postdesk` and nothing
// else — no ipcRenderer, and the IPC event object never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, EventPayload } from './contract';
import { buildApi } from './verbs';
import { EVENT_PREFIX, isEventName } from './names';

function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_event: IpcRendererEvent, payload: EventPayload<E>) => listener(payload);
  ipcRenderer.on(EVENT_PREFIX + event, wrapped);
  return () => {
    ipcRenderer.removeListener(EVENT_PREFIX + event, wrapped);
  };
}

contextBridge.exposeInMainWorld(
  'postdesk',
  buildApi(
    (channel, input) => ipcRenderer.invoke(channel, input),
    on,
    (attachmentId) => `postdesk-file://attachment/${Number(attachmentId)}`,
    (messageId, url) => `postdesk-file://message/${Number(messageId)}/image/${encodeURIComponent(url)}`,
  ),
);
