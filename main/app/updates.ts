// The desktop app stays current: electron-updater reads the update server the installer was
// built with (app-update.yml, from electron-builder.yml's publish block), checks once the window
// is shown and every day after, downloads in the background, and the page offers Restart to
// update once an update is ready. Help → Check for updates asks at once and answers in a window.
// Nothing here throws into the app: a failed check is logged and waits for the next one.
// Skipped entirely (electron-updater is never even constructed) when running from the sources, when
// the installer was built without an update server (no app-update.yml), or when the
// administrator's config says `updates: { enabled: false }` (managed desks).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import electronUpdater from 'electron-updater';
import type { Translate } from '../../common/i18n';
import type { EventBus } from '../events';
import { AppError } from '../errors';
import type { AppUpdater } from '../host/ports';
import type { Logger } from '../log/logger';

/** The few members of electron-updater's autoUpdater this file uses (tests hand in a stand-in). */
export interface Updater {
  autoDownload: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- electron-updater's listeners differ per event
  on(event: string, listener: (...args: any[]) => void): unknown;
  checkForUpdates(): Promise<{ downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(): void;
}

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'ready'; version: string }
  | { kind: 'error'; reason: string };

/** What Help → Check for updates says. */
export type UpdateAnswer =
  | { kind: 'disabled' | 'development' | 'noServer' }
  | { kind: 'upToDate'; version: string }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'ready'; version: string }
  | { kind: 'failed'; reason: string };

export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

const OFF_BECAUSE = {
  disabled: 'the config says updates.enabled false',
  development: 'not installed (run from the sources)',
  noServer: 'this installer was built without an update server (no app-update.yml)',
};

export interface UpdatesOptions {
  /** The administrator's config: `updates.enabled`. */
  enabled: boolean;
  /** Installed (app.isPackaged); from the sources there is no app-update.yml and nothing to replace. */
  packaged: boolean;
  /** The installer names an update server (electron-builder wrote app-update.yml: POSTDESK_UPDATE_URL was set). */
  server: boolean;
  /** The running version, for "is the latest version". */
  version: string;
  /** electron-updater's autoUpdater, asked for only when updates are on. */
  updater: () => Updater;
}

export class Updates implements AppUpdater {
  private state: UpdateState = { kind: 'idle' };
  private running: Promise<void> | undefined;
  private updater: Updater | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private log: Logger | undefined;
  private events: EventBus | undefined;

  constructor(private readonly options: UpdatesOptions) {}

  /** 'on', or why updates are skipped. */
  get mode(): 'on' | 'disabled' | 'development' | 'noServer' {
    if (!this.options.enabled) return 'disabled';
    if (!this.options.packaged) return 'development';
    return this.options.server ? 'on' : 'noServer';
  }

  get current(): UpdateState {
    return this.state;
  }

  /** Once the window is shown: the first check now, then one a day. */
  start(log: Logger, events: EventBus): void {
    this.log = log;
    this.events = events;
    if (this.mode !== 'on') {
      log.info(`updates are off: ${OFF_BECAUSE[this.mode]}`);
      return;
    }
    void this.checkNow();
    this.timer ??= setInterval(() => void this.checkNow(), UPDATE_CHECK_INTERVAL_MS);
    // The daily check never keeps the process alive.
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Help → Check for updates: checks at once (or waits for the check under way) and says what it found. */
  async check(): Promise<UpdateAnswer> {
    const mode = this.mode;
    if (mode !== 'on') return { kind: mode };
    await this.checkNow();
    const state = this.state;
    switch (state.kind) {
      case 'downloading':
      case 'ready':
        return state;
      case 'error':
        return { kind: 'failed', reason: state.reason };
      default:
        return { kind: 'upToDate', version: this.options.version };
    }
  }

  /** Restart to update: only an update already downloaded is installed. */
  restartToUpdate(): void {
    if (this.state.kind !== 'ready') throw new AppError('not_found', 'No update has been downloaded yet.');
    this.log?.info(`updates: restarting to install ${this.state.version}`);
    this.connect().quitAndInstall();
  }

  private checkNow(): Promise<void> {
    // A downloaded update waits for its restart; a check or download under way is not started twice.
    if (this.state.kind === 'ready' || this.state.kind === 'downloading') return Promise.resolve();
    this.running ??= this.runCheck().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runCheck(): Promise<void> {
    this.state = { kind: 'checking' };
    try {
      const result = await this.connect().checkForUpdates();
      // Its failure is told through the 'error' event as well; the promise must not go unhandled.
      result?.downloadPromise?.catch(() => {});
    } catch (error) {
      this.failed(error);
    }
    // No answer at all (electron-updater found itself inactive): nothing to do until the next check.
    if (this.state.kind === 'checking') this.state = { kind: 'idle' };
  }

  private failed(error: unknown): void {
    if (this.state.kind === 'ready') return;
    const reason = error instanceof Error ? error.message : String(error);
    // Reported once, whether the event or the promise tells it first.
    if (this.state.kind === 'error' && this.state.reason === reason) return;
    this.state = { kind: 'error', reason };
    this.log?.warn('updates: checking or downloading failed', error);
  }

  /** electron-updater's autoUpdater, made and listened to on first use. */
  private connect(): Updater {
    if (this.updater) return this.updater;
    const updater = this.options.updater();
    updater.autoDownload = true;
    updater.logger = {
      info: (message) => this.log?.info(`updates: ${String(message)}`),
      warn: (message) => this.log?.info(`updates: ${String(message)}`),
      // Failures are logged once, with their error, by the 'error' listener below.
      error: (message) => this.log?.info(`updates: ${String(message)}`),
    };
    updater.on('checking-for-update', () => {
      if (this.state.kind !== 'ready') this.state = { kind: 'checking' };
    });
    updater.on('update-not-available', () => {
      if (this.state.kind !== 'ready') this.state = { kind: 'idle' };
    });
    updater.on('update-available', (info: { version: string }) => {
      this.state = { kind: 'downloading', version: info.version, percent: 0 };
    });
    updater.on('download-progress', (progress: { percent: number }) => {
      if (this.state.kind === 'downloading') this.state = { ...this.state, percent: Math.floor(progress.percent) };
    });
    updater.on('update-downloaded', (info: { version: string }) => {
      this.state = { kind: 'ready', version: info.version };
      this.log?.info(`updates: ${info.version} is downloaded`);
      this.events?.emit('app.updateReady', { version: info.version });
    });
    updater.on('error', (error: unknown) => this.failed(error));
    this.updater = updater;
    return updater;
  }
}

/** The desktop app's updates, as its config and Electron say. */
export function desktopUpdates(config: { enabled: boolean }): Updates {
  return new Updates({
    enabled: config.enabled,
    packaged: app.isPackaged,
    // Where electron-updater reads it in an installed app.
    server: app.isPackaged && existsSync(path.join(process.resourcesPath, 'app-update.yml')),
    version: app.getVersion(),
    updater: () => electronUpdater.autoUpdater,
  });
}

/** What the window of Help → Check for updates says, and whether it offers Restart to update. */
export function answerText(answer: UpdateAnswer, t: Translate): { message: string; problem: boolean; restart: boolean } {
  switch (answer.kind) {
    case 'disabled':
      return { message: t('update.disabled'), problem: false, restart: false };
    case 'development':
      return { message: t('update.development'), problem: false, restart: false };
    case 'noServer':
      return { message: t('update.noServer'), problem: false, restart: false };
    case 'upToDate':
      return { message: t('update.upToDate', { version: answer.version }), problem: false, restart: false };
    case 'downloading':
      return { message: t('update.downloading', { version: answer.version, percent: answer.percent }), problem: false, restart: false };
    case 'ready':
      return { message: t('update.ready', { version: answer.version }), problem: false, restart: true };
    case 'failed':
      return { message: t('update.failed', { reason: answer.reason }), problem: true, restart: false };
  }
}

/** Help → Check for updates: the answer in a native window; a ready update can be installed from it. */
export async function showUpdateCheck(updates: Updates, t: Translate, owner: BrowserWindow | undefined, log: Logger): Promise<void> {
  try {
    await askAndAnswer(updates, t, owner);
  } catch (error) {
    log.warn('updates: Check for updates failed', error);
  }
}

async function askAndAnswer(updates: Updates, t: Translate, owner: BrowserWindow | undefined): Promise<void> {
  const { message, problem, restart } = answerText(await updates.check(), t);
  const options = {
    type: problem ? ('error' as const) : ('info' as const),
    title: t('update.title'),
    message,
    buttons: restart ? [t('update.restart'), t('update.later')] : [t('update.ok')],
    defaultId: 0,
    cancelId: restart ? 1 : 0,
  };
  const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
  if (restart && response === 0) updates.restartToUpdate();
}
