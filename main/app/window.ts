import type { BrowserWindow as BrowserWindowType, WebPreferences } from 'electron';
import { BrowserWindow } from 'electron';
import { APP_URL } from './protocol';

/** Electron's security checklist, as preferences; tests assert the window gets exactly these. */
export function windowPreferences(preloadPath: string): WebPreferences {
  return {
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
    spellcheck: true,
  };
}

export function createMainWindow(preloadPath: string, title: string): BrowserWindowType {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title,
    show: false,
    webPreferences: windowPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
