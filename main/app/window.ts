import type { BrowserWindow as BrowserWindowType } from 'electron';
import { BrowserWindow } from 'electron';
import { APP_URL } from './protocol';

export function createMainWindow(preloadPath: string, title: string): BrowserWindowType {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title,
    show: false,
    // Electron's security checklist, written out here (not built elsewhere) so that the
    // electronegativity scan of the build sees every one of them; tests assert exactly these.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A middle click must not open anything; new windows are denied anyway.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
