import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configWith } from '../../main/config/load';
import { translator } from '../../common/i18n';
import { appMenuTemplate } from '../../main/app/menu';
import { showUpdateCheck, UPDATE_CHECK_INTERVAL_MS, Updates, type UpdatesOptions } from '../../main/app/updates';
import { EventBus } from '../../main/events';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlers } from '../../main/ipc/handlers';
import { openServices } from '../../main/services';
import { recorded } from '../support/electron-stand-in';
import { menuItem } from '../support/menu';
import { recordingLog } from '../support/recording-log';
import { UpdaterStandIn } from '../support/updater-stand-in';

function setUp(options: Partial<Omit<UpdatesOptions, 'updater'>> = {}) {
  const updater = new UpdaterStandIn();
  const made = { count: 0 };
  const updates = new Updates({
    enabled: true,
    packaged: true,
    server: true,
    version: '0.1.0',
    updater: () => {
      made.count++;
      return updater;
    },
    ...options,
  });
  const log = recordingLog();
  const events = new EventBus();
  const told: unknown[] = [];
  events.subscribe((event, payload) => told.push({ event, payload }));
  return { updater, made, updates, log, events, told, start: () => updates.start(log, events) };
}

/** Lets the stand-in's check (a few awaits) run to its end. */
const settled = () => vi.advanceTimersByTimeAsync(0);

describe('the desktop app updates itself (Updates, with a stand-in autoUpdater)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    recorded.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('never checks, nor even makes the updater, when the administrator turned updates off, when run from the sources, or when the installer names no server', async () => {
    for (const [options, mode, because] of [
      [{ enabled: false }, 'disabled', 'the config says updates.enabled false'],
      [{ enabled: false, packaged: false }, 'disabled', 'the config says updates.enabled false'],
      [{ packaged: false, server: false }, 'development', 'not installed (run from the sources)'],
      [{ server: false }, 'noServer', 'this installer was built without an update server (no app-update.yml)'],
    ] as const) {
      const { made, updates, log, start } = setUp(options);
      start();
      await vi.advanceTimersByTimeAsync(3 * UPDATE_CHECK_INTERVAL_MS);
      expect(made.count).toBe(0);
      expect(await updates.check()).toEqual({ kind: mode });
      expect(made.count).toBe(0);
      expect(log.lines.map((line) => line.message)).toEqual([`updates are off: ${because}`]);
      expect(() => updates.restartToUpdate()).toThrow('No update has been downloaded yet.');
    }
  });

  it('checks once at start and then every 24 hours, downloading in the background', async () => {
    const { updater, updates, start } = setUp();
    start();
    await settled();
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(true);
    expect(updates.current).toEqual({ kind: 'idle' });

    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_INTERVAL_MS - 1000);
    expect(updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(3);
    updates.stop();
  });

  it('tells the page when an update is downloaded, and stops checking until the restart', async () => {
    const { updater, updates, told, start } = setUp();
    updater.finds = { version: '0.2.0' };
    start();
    await settled();
    expect(updates.current).toEqual({ kind: 'downloading', version: '0.2.0', percent: 0 });
    updater.progress(42.7);
    expect(updates.current).toEqual({ kind: 'downloading', version: '0.2.0', percent: 42 });
    expect(told).toEqual([]);

    // A download under way is not started again by the daily check.
    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(1);

    updater.downloaded();
    expect(updates.current).toEqual({ kind: 'ready', version: '0.2.0' });
    expect(told).toEqual([{ event: 'app.updateReady', payload: { version: '0.2.0' } }]);
    await vi.advanceTimersByTimeAsync(2 * UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(1);
    updates.stop();
  });

  it('installs on Restart to update only once an update is downloaded', async () => {
    const { updater, updates, start } = setUp();
    updater.finds = { version: '0.2.0' };
    start();
    await settled();
    expect(() => updates.restartToUpdate()).toThrow(expect.objectContaining({ code: 'not_found', message: 'No update has been downloaded yet.' }));
    expect(updater.installs).toBe(0);

    updater.downloaded();
    updates.restartToUpdate();
    expect(updater.installs).toBe(1);
    updates.stop();
  });

  it('logs a failed check or download, never throws it, and tries again the next day', async () => {
    const { updater, updates, log, start } = setUp();
    updater.finds = new Error('net::ERR_NAME_NOT_RESOLVED');
    start();
    await settled();
    expect(updates.current).toEqual({ kind: 'error', reason: 'net::ERR_NAME_NOT_RESOLVED' });
    // Told by the event and by the promise, logged once.
    expect(log.lines.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'updates: checking or downloading failed', error: updater.finds },
    ]);

    updater.finds = { version: '0.2.0' };
    await vi.advanceTimersByTimeAsync(UPDATE_CHECK_INTERVAL_MS);
    expect(updates.current).toMatchObject({ kind: 'downloading' });
    updater.downloadFailed(new Error('sha512 checksum mismatch'));
    await settled();
    expect(updates.current).toEqual({ kind: 'error', reason: 'sha512 checksum mismatch' });
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(2);
    updates.stop();
  });

  it('answers Help → Check for updates in a window: up to date, downloading, failed, disabled; a ready update restarts from it', async () => {
    const t = translator('en');
    const ask = async (updates: Updates) => {
      await showUpdateCheck(updates, t, undefined, recordingLog());
      return recorded.messageBoxes.at(-1)!.options;
    };

    const upToDate = setUp();
    expect(await ask(upToDate.updates)).toMatchObject({ type: 'info', title: 'Updates', message: 'Postdesk 0.1.0 is the latest version.', buttons: ['OK'] });
    expect(upToDate.updater.checks).toBe(1);

    const downloading = setUp();
    downloading.updater.finds = { version: '0.2.0' };
    expect(await ask(downloading.updates)).toMatchObject({
      message: 'Postdesk 0.2.0 is downloading (0%). When it is ready, Restart to update installs it.',
      buttons: ['OK'],
    });

    const failing = setUp();
    failing.updater.finds = new Error('HttpError: 404 Not Found');
    expect(await ask(failing.updates)).toMatchObject({ type: 'error', message: 'Could not check for updates: HttpError: 404 Not Found' });

    expect(await ask(setUp({ enabled: false }).updates)).toMatchObject({ message: 'Updates are turned off by your administrator.' });
    expect(await ask(setUp({ server: false }).updates)).toMatchObject({
      message: 'This copy of Postdesk was built without an update server: new versions are installed by hand.',
    });

    // Ready: Later leaves it for the next start; Restart to update installs it.
    downloading.updater.downloaded();
    recorded.messageBoxResponse = 1;
    expect(await ask(downloading.updates)).toMatchObject({
      message: 'Postdesk 0.2.0 is downloaded and installs when Postdesk restarts.',
      buttons: ['Restart to update', 'Later'],
      cancelId: 1,
    });
    expect(downloading.updater.installs).toBe(0);
    recorded.messageBoxResponse = 0;
    await ask(downloading.updates);
    expect(downloading.updater.installs).toBe(1);

    const ru = translator('ru');
    await showUpdateCheck(setUp({ enabled: false }).updates, ru, undefined, recordingLog());
    expect(recorded.messageBoxes.at(-1)!.options).toMatchObject({ title: 'Обновления', message: 'Обновления отключены администратором.', buttons: ['ОК'] });
  });

  it('puts Check for updates… under Help, in both languages, when the desktop app has updates', () => {
    const checkForUpdates = vi.fn();
    const options = { logDir: '/nonexistent/logs', log: recordingLog(), platform: 'linux' as const, development: false, chooseLanguage: () => {}, checkForUpdates };
    const click = (item: { click?: unknown }) => (item.click as () => void)();
    click(menuItem(appMenuTemplate({ ...options, lang: 'en' }), 'Help', 'Check for updates…'));
    click(menuItem(appMenuTemplate({ ...options, lang: 'ru' }), 'Справка', 'Проверить обновления…'));
    expect(checkForUpdates).toHaveBeenCalledTimes(2);
    const help = menuItem(appMenuTemplate({ ...options, lang: 'en', checkForUpdates: undefined }), 'Help');
    expect((help.submenu as Array<{ label: string }>).map((item) => item.label)).toEqual(['Open log folder']);
  });

  it('answers Restart to update in the browser host (its services have no updater) with a clear unsupported error', async () => {
    vi.useRealTimers();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-updates-web-'));
    // As main/web/cli.ts opens them: no updater.
    const services = await openServices({ config: configWith({}), dataDir, lang: 'en', version: '0.1.0', startMail: false });
    try {
      expect(await dispatch(createHandlers(services), 'app.restartToUpdate', undefined)).toEqual({
        ok: false,
        error: { code: 'unsupported', message: 'Postdesk updates itself only as the desktop app; the browser host has nothing to install.' },
      });
    } finally {
      await services.close();
    }
  });
});
