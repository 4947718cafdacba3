import type { App, Session } from 'electron';
import { isAppUrl } from './protocol';

/**
 * All navigation, new-window and permission policy in one place: the window never leaves our
 * own page, opens no windows, attaches no webviews and is granted no permission. A mail's link
 * reaches the system browser only as the links.open request, after the operator confirmed it.
 */
export function hardenWebContents(app: App, session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
