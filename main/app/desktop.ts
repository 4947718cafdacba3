// The desktop app: the same services as the browser host, behind Electron's IPC and window.
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, protocol, screen, session } from 'electron';
import { translator } from '../../common/i18n';
import { parseCliArgs, UsageError } from '../config/cli-args';
import { ConfigError } from '../config/load';
import { electronDialogs, electronPaths, electronSaveDialogs, electronShell, testDialogAnswers } from '../host/electron';
import { createHandlers } from '../ipc/handlers';
import { openServices, type Services } from '../services';
import { resolveStartup } from '../startup';
import { stderrLogger } from '../log/logger';
import { drawAttention } from './attention';
import { DesktopPrefs } from './desktop-prefs';
import { forwardEvents, registerIpc } from './ipc';
import { startupLanguage, switchLanguage } from './language';
import { installAppMenu } from './menu';
import { sourceNativeBinding } from './native-binding';
import { registerAppScheme, serveAttachmentFiles, serveRenderer } from './protocol';
import { quitGracefully } from './quit';
import { hardenWebContents } from './security';
import { desktopUpdates, showUpdateCheck, type Updates } from './updates';
import { bringToFront, createMainWindow } from './window';
import { placeWindow, rememberPlace } from './window-place';

export interface DesktopApp {
  services: Services;
  window: BrowserWindow;
  updates: Updates;
}

export interface DesktopPaths {
  rendererDir: string;
  preload: string;
}

/** The folder the app runs from: the repository when run from the sources (dist/main/main.js is two below it). */
const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const BUILT_PATHS: DesktopPaths = {
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
  preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
};

/** Electron's argv holds the binary and app path first; our options follow. */
function ownArgs(argv: string[]): string[] {
  return argv.slice(app.isPackaged ? 1 : 2).filter((arg) => !arg.startsWith('--inspect'));
}

/** What the desktop app settles before anything touches the disk; throws ConfigError or UsageError. */
function settleStartup(argv: string[]) {
  const cli = parseCliArgs(ownArgs(argv));
  const startup = resolveStartup(cli, electronPaths, app.getLocale());
  const dialogAnswers = testDialogAnswers(cli.dialogAnswers);
  // Read before the services open: the language is theirs from the start. Main's log is not open yet.
  const prefs = DesktopPrefs.read(startup.dataDir, stderrLogger);
  return { startup: { ...startup, lang: startupLanguage(cli.lang, prefs.get().language, startup.lang) }, prefs, dialogAnswers };
}

/** Call before app is ready. Resolves to null when start-up was refused (and shown). */
export async function startDesktopApp(argv: string[], paths: DesktopPaths = BUILT_PATHS): Promise<DesktopApp | null> {
  registerAppScheme(protocol);
  await app.whenReady();

  let settled;
  try {
    settled = settleStartup(argv);
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof UsageError)) throw error;
    dialog.showErrorBox('Postdesk', error.message);
    app.exit(2);
    return null;
  }
  const { startup, prefs, dialogAnswers } = settled;

  // Dialogs belong to the window, which is created once the services behind it are up.
  const shown: { window?: BrowserWindow } = {};
  const owner = () => shown.window;
  const dialogs = electronDialogs(owner, dialogAnswers);
  const updates = desktopUpdates(startup.config.updates);
  const services = await openServices({
    ...startup,
    version: app.getVersion(),
    sqliteBinding: sourceNativeBinding(APP_ROOT, app.isPackaged, process.versions.electron),
    saveDialogs: electronSaveDialogs(owner, dialogAnswers),
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
    chooseLanguage: (to) => void switchLanguage(to, services.lang, prefs, window),
    checkForUpdates: () => void showUpdateCheck(updates, translator(services.lang), owner(), services.log),
  });

  // The page loads asynchronously, so the handlers below are in place before it can call.
  const place = placeWindow(prefs.get().window, screen.getAllDisplays().map((display) => display.workArea));
  const window = createMainWindow(paths.preload, 'Postdesk', place);
  shown.window = window;
  rememberPlace(window, prefs);
  // main.ts holds the single-instance lock: a second launch lands here and shows this window.
  app.on('second-instance', () => bringToFront(window));
  const contents = () => (window.isDestroyed() ? undefined : window.webContents);
  registerIpc(ipcMain, createHandlers(services), contents, services.log);
  forwardEvents(services.events, contents);
  drawAttention(services, window);
  // The first check waits for the window: an update found then is told to a page that listens.
  window.once('show', () => updates.start(services.log, services.events));

  quitGracefully(
    app,
    async () => {
      await services.close();
      await prefs.flushed();
    },
    services.log,
  );

  return {
    services,
    window,
    updates,
  };
}
