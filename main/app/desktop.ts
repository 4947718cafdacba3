// The desktop app: the same services as the browser host, behind Electron's IPC and window.
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, protocol, session } from 'electron';
import { translator } from '../../common/i18n';
import { parseCliArgs, UsageError } from '../config/cli-args';
import { ConfigError } from '../config/load';
import { electronDialogs, electronPaths, electronSaveDialogs, electronShell } from '../host/electron';
import { createHandlers } from '../ipc/handlers';
import { openServices, type Services } from '../services';
import { resolveStartup } from '../startup';
import { drawAttention } from './attention';
import { forwardEvents, registerIpc } from './ipc';
import { installAppMenu } from './menu';
import { registerAppScheme, serveAttachmentFiles, serveRenderer } from './protocol';
import { hardenWebContents } from './security';
import { desktopUpdates, showUpdateCheck, type Updates } from './updates';
import { createMainWindow } from './window';

export interface DesktopApp {
  services: Services;
  window: BrowserWindow;
  updates: Updates;
}

export interface DesktopPaths {
  rendererDir: string;
  preload: string;
}

export const BUILT_PATHS: DesktopPaths = {
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
};

/** Electron's argv holds the binary and app path first; our options follow. */
function ownArgs(argv: string[]): string[] {
  return argv.slice(app.isPackaged ? 1 : 2).filter((arg) => !arg.startsWith('--inspect'));
}

/** Call before app is ready. Resolves to null when start-up was refused (and shown). */
export async function startDesktopApp(argv: string[], paths: DesktopPaths = BUILT_PATHS): Promise<DesktopApp | null> {
  registerAppScheme(protocol);
  await app.whenReady();

  let startup;
  try {
    startup = resolveStartup(parseCliArgs(ownArgs(argv)), electronPaths, app.getLocale());
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof UsageError)) throw error;
    dialog.showErrorBox('Postdesk', error.message);
    app.exit(2);
    return null;
  }

  // Dialogs belong to the window, which is created once the services behind it are up.
  const shown: { window?: BrowserWindow } = {};
  const owner = () => shown.window;
  const dialogs = electronDialogs(owner);
  const updates = desktopUpdates(startup.config.updates);
  const services = await openServices({
    ...startup,
    version: app.getVersion(),
    saveDialogs: electronSaveDialogs(owner),
    fileDialogs: dialogs,
    shell: electronShell,
    updater: updates,
  });
  hardenWebContents(app, session.defaultSession);
  serveRenderer(protocol, paths.rendererDir);
  serveAttachmentFiles(
    protocol,
    async (id) => {
      const attachment = services.attachments.get(id);
      return attachment && (await services.checks.ensure([attachment], { rescan: false }))[0];
    },
    services.blobs,
    services.remoteImages,
  );

  // The menu speaks the services' language and opens their log folder, so it comes after them.
  installAppMenu({
    lang: services.lang,
    logDir: services.log.dir,
    log: services.log,
    checkForUpdates: () => void showUpdateCheck(updates, translator(services.lang), owner(), services.log),
  });

  // The page loads asynchronously, so the handlers below are in place before it can call.
  const window = createMainWindow(paths.preload, 'Postdesk');
  shown.window = window;
  const contents = () => (window.isDestroyed() ? undefined : window.webContents);
  registerIpc(ipcMain, createHandlers(services), contents, services.log);
  forwardEvents(services.events, contents);
  drawAttention(services, window);
  // The first check waits for the window: an update found then is told to a page that listens.
  window.once('show', () => updates.start(services.log, services.events));

  app.on('window-all-closed', () => {
    void services.close().finally(() => app.quit());
  });

  return {
    services,
    window,
    updates,
  };
}
