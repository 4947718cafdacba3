// Quitting waits for the services to close: a send in progress gets its grace to finish (the
// outbox puts it back in the queue if it cannot), claims are let go on the server, and the store
// is closed cleanly. Electron quits without asking anyone unless before-quit holds it, whatever
// asked (the menu, the last window closing, the system's logout, an update's restart).
import type { App } from 'electron';
import type { Logger } from '../log/logger';

export function quitGracefully(app: Pick<App, 'on' | 'quit'>, close: () => Promise<void>, log: Pick<Logger, 'error'>): void {
  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= close()
      .catch((error: unknown) => {
        log.error('closing the services at quit failed', error);
      })
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  // On macOS too: the window is the app (there is no window-less Postdesk to keep in the dock).
  app.on('window-all-closed', () => app.quit());
}
