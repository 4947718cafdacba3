import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { Result } from '../../preload/contract';
import { EVENT_PREFIX, REQUEST_NAMES } from '../../preload/names';
import type { EventBus } from '../events';
import { dispatch, type HandlerTable } from '../ipc/dispatch';
import { stderrLogger, type Logger } from '../log/logger';
import { isAppUrl } from './protocol';

/** Only our own window's main frame, showing our own page, may call main. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, window: WebContents): boolean {
  const frame: WebFrameMain | null = event.senderFrame;
  if (!frame || event.sender !== window) return false;
  const main = window.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url);
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This frame may not call Postdesk.' },
};

/** One ipcMain.handle per request of the contract, all through the same door as the browser host. */
export function registerIpc(ipcMain: IpcMain, table: HandlerTable, window: () => WebContents | undefined, log: Logger = stderrLogger): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(name, (event, input: unknown) => {
      const contents = window();
      if (!contents || !isTrustedSender(event, contents)) return FORBIDDEN;
      return dispatch(table, name, input, (failed, error) => log.error(`${failed} failed`, error));
    });
  }
}

export function forwardEvents(events: EventBus, window: () => WebContents | undefined): () => void {
  return events.subscribe((event, payload) => {
    const contents = window();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_PREFIX + event, payload);
  });
}
