// The desktop app behaves like one (issue 15, item 5): one instance, the window where it was
// left, the language from the menu, the unread badge on every platform, and a quit that waits
// for a send in progress. Against the stand-in electron module (no Electron binary runs here),
// with a real SMTP server, real files and the real SQLite store.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDesktopApp, type DesktopApp } from '../../main/app/desktop';
import { DESKTOP_PREFS_FILE, DesktopPrefs } from '../../main/app/desktop-prefs';
import { argsWithoutLang } from '../../main/app/language';
import { placeWindow, SETTLE_MS } from '../../main/app/window-place';
import { DATABASE_FILE } from '../../main/services';
import { OFFLINE_CHANNEL, OPERATOR } from '../support/config-file';
import { menuItem } from '../support/menu';
import { app, recorded, type BrowserWindow } from '../support/electron-stand-in';
import { startSmtpServer } from '../support/smtp';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'postdesk-desktop-'));
const paths = { rendererDir: path.join(tmp, 'renderer'), preload: '/app/dist/preload/index.cjs' };
const quiet = { warn: () => {} };

function newDataDir(): string {
  return path.join(tmp, `data-${Math.random().toString(36).slice(2)}`);
}

async function start(dataDir: string, config: unknown = { channels: [OFFLINE_CHANNEL] }, args: string[] = []): Promise<DesktopApp> {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const desktop = await startDesktopApp(['/usr/bin/electron', '/app', '--config', file, '--data-dir', dataDir, ...args], paths);
  if (!desktop) throw new Error('the desktop app refused to start');
  return desktop;
}

/** Quits as the menu does, and resolves once the app has let go (the services closed). */
async function quit(): Promise<void> {
  const before = recorded.quits;
  app.quit();
  await vi.waitFor(() => expect(recorded.quits).toBe(before + 2), { timeout: 20_000 });
}

const windowOf = (desktop: DesktopApp) => desktop.window as unknown as BrowserWindow;

// Starts, restarts and quits wait on the store, the log and a real SMTP server: more than vitest's 5 s on a busy machine.
describe('the desktop app on the operator’s machine (stand-in electron)', { timeout: 30_000 }, () => {
  beforeEach(() => recorded.reset());
  afterAll(() => {
    recorded.reset();
  });

  describe('the window', () => {
    let desktop: DesktopApp | undefined;
    afterEach(async () => {
      if (desktop && recorded.quits === 0) await quit();
      desktop = undefined;
    });

    it('opens where the operator left it, maximized if it was, after a restart', async () => {
      const dataDir = newDataDir();
      desktop = await start(dataDir);
      const first = windowOf(desktop);
      expect(first.options).toMatchObject({ width: 1280, height: 820 });
      expect(first.options.x).toBeUndefined();

      first.bounds = { x: 200, y: 120, width: 1100, height: 700 };
      first.emit('move');
      first.emit('resize');
      await vi.waitFor(() => expect(JSON.parse(readFileSync(path.join(dataDir, DESKTOP_PREFS_FILE), 'utf8')).window).toEqual({ x: 200, y: 120, width: 1100, height: 700, maximized: false }), {
        timeout: SETTLE_MS * 4,
      });
      first.maximized = true;
      first.emit('close');
      await quit();

      recorded.reset();
      desktop = await start(dataDir);
      const again = windowOf(desktop);
      expect(again.options).toMatchObject({ x: 200, y: 120, width: 1100, height: 700 });
      expect(again.maximized).toBe(false);
      again.emit('ready-to-show');
      expect(again.maximized).toBe(true);
      expect(again.shown).toBe(true);
    });

    it('opens at the default size when the screen it was on is gone', async () => {
      const dataDir = newDataDir();
      mkdirSync(dataDir, { recursive: true });
      // Left on a second monitor to the right, unplugged since.
      writeFileSync(path.join(dataDir, DESKTOP_PREFS_FILE), JSON.stringify({ window: { x: 2100, y: 100, width: 1200, height: 800, maximized: false } }));
      desktop = await start(dataDir);
      expect(windowOf(desktop).options).toMatchObject({ width: 1280, height: 820 });
      expect(windowOf(desktop).options.x).toBeUndefined();
    });

    it('comes to the front, restored, when Postdesk is launched a second time', async () => {
      desktop = await start(newDataDir());
      const window = windowOf(desktop);
      window.minimized = true;
      window.focused = false;
      app.emit('second-instance', {}, ['/usr/bin/electron', '/app'], '/');
      expect(window.isMinimized()).toBe(false);
      expect(window.isFocused()).toBe(true);
      // Still one window: the second launch opened nothing of its own.
      expect(recorded.windows).toHaveLength(1);
    });

    it('puts a dot on the Windows taskbar button while Active conversations have unread mail, named with their count', async () => {
      desktop = await start(newDataDir());
      const window = windowOf(desktop);
      const { drawAttention } = await import('../../main/app/attention');
      drawAttention(desktop.services, desktop.window, 'win32');
      expect(window.overlay).toBeUndefined();
      desktop.services.events.emit('conversations.unread', { count: 3 });
      expect(window.overlay?.description).toBe('Обращений с непрочитанными письмами: 3');
      expect(recorded.badge).toBe(3);
      const { bitmap, size } = window.overlay!.image as { bitmap: Buffer; size: { width: number; height: number } };
      expect(size).toEqual({ width: 16, height: 16 });
      // Opaque in the middle, clear in the corner.
      expect(bitmap[(8 * 16 + 8) * 4 + 3]).toBe(0xff);
      expect(bitmap[3]).toBe(0);
      desktop.services.events.emit('conversations.unread', { count: 0 });
      expect(window.overlay).toBeUndefined();
    });
  });

  describe('the language', () => {
    it('comes from View → Language at the next start, after asking to restart now', async () => {
      const dataDir = newDataDir();
      let desktop = await start(dataDir);
      expect(desktop.services.lang).toBe('ru'); // the stand-in system's locale
      recorded.messageBoxResponse = 0;
      menuItem(recorded.applicationMenu, 'Вид', 'Язык', 'English').click!();
      await vi.waitFor(() => expect(recorded.relaunches).toHaveLength(1));
      expect(recorded.messageBoxes[0]!.options).toMatchObject({
        message: 'Чтобы сменить язык, Postdesk перезапустится на языке «English». Черновики и письма, ожидающие отправки, сохранятся.',
        buttons: ['Перезапустить сейчас', 'Позже'],
      });
      await vi.waitFor(() => expect(recorded.quits).toBe(2), { timeout: 20_000 });

      recorded.reset();
      desktop = await start(dataDir);
      expect(desktop.services.lang).toBe('en');
      expect(menuItem(recorded.applicationMenu, 'View', 'Language', 'English')).toMatchObject({ checked: true });
      await quit();
    });

    it('is kept for later when the operator says Later, and --lang on the command line still wins', async () => {
      const dataDir = newDataDir();
      const desktop = await start(dataDir, undefined, ['--lang', 'en']);
      recorded.messageBoxResponse = 1;
      menuItem(recorded.applicationMenu, 'View', 'Language', 'Русский').click!();
      await vi.waitFor(() => expect(recorded.messageBoxes).toHaveLength(1));
      expect(recorded.relaunches).toEqual([]);
      expect(desktop.services.lang).toBe('en');
      await quit();
      expect(JSON.parse(readFileSync(path.join(dataDir, DESKTOP_PREFS_FILE), 'utf8')).language).toBe('ru');
      recorded.reset();
      const flagged = await start(dataDir, undefined, ['--lang', 'en']);
      expect(flagged.services.lang).toBe('en');
      await quit();
    });

    it('restarts without --lang, so the choice is not overruled by the flag it was started with', () => {
      expect(argsWithoutLang(['/app', '--lang', 'en', '--config', 'c.json', '--lang=ru', '--data-dir', 'd'])).toEqual(['/app', '--config', 'c.json', '--data-dir', 'd']);
    });
  });

  describe('desktop.json', () => {
    // [what, the file, whether the log says so]
    const hostile: Array<[string, string, boolean]> = [
      ['not JSON', '{"window": {"x": 1,', true],
      ['an array', '[1, 2, 3]', true],
      ['an unknown language and a window of strings', '{"language": "xx", "window": {"x": "0", "y": 0, "width": 800, "height": 600, "maximized": false}}', true],
      ['a window of NaN-like and huge numbers', '{"window": {"x": 1e400, "y": 0, "width": 1e9, "height": -5, "maximized": false}}', true],
      // Keys it does not read are left alone, and do not reach any object's prototype.
      ['a prototype key', '{"__proto__": {"language": "ru"}, "constructor": {"prototype": {"language": "ru"}}}', false],
      ['an empty file', '', true],
    ];
    it.each(hostile)('starts as new from %s', (_name, content, says) => {
      const dir = mkdtempSync(path.join(tmp, 'prefs-'));
      writeFileSync(path.join(dir, DESKTOP_PREFS_FILE), content);
      const warned: string[] = [];
      const prefs = DesktopPrefs.read(dir, { warn: (message) => void warned.push(message) });
      expect(prefs.get()).toEqual({});
      expect(({} as Record<string, unknown>).language).toBeUndefined();
      expect(warned.length > 0).toBe(says);
    });

    it('keeps the part it understands when another part is bad', () => {
      const dir = mkdtempSync(path.join(tmp, 'prefs-'));
      writeFileSync(path.join(dir, DESKTOP_PREFS_FILE), JSON.stringify({ language: 'en', window: { x: 'left' } }));
      expect(DesktopPrefs.read(dir, quiet).get()).toEqual({ language: 'en' });
    });

    it('says why a write failed and goes on (a data dir made read-only)', async () => {
      const dir = path.join(tmp, 'gone', 'deeper');
      const warned: string[] = [];
      const prefs = DesktopPrefs.read(dir, { warn: (message) => void warned.push(message) });
      await prefs.update({ language: 'ru' });
      expect(warned).toEqual([`could not write ${path.join(dir, DESKTOP_PREFS_FILE)}`]);
      expect(prefs.get()).toEqual({ language: 'ru' });
      expect(existsSync(dir)).toBe(false);
    });
  });

  describe('placeWindow', () => {
    const laptop = { x: 0, y: 0, width: 1440, height: 860 };
    const right = { x: 1440, y: 0, width: 2560, height: 1400 };
    it('keeps a place a screen shows, on any of the screens', () => {
      expect(placeWindow({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, [laptop])).toEqual({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: false });
      expect(placeWindow({ x: 1600, y: 50, width: 2000, height: 1200, maximized: true }, [laptop, right])).toEqual({ bounds: { x: 1600, y: 50, width: 2000, height: 1200 }, maximized: true });
    });
    it('shrinks a window to a smaller screen, and drops a place whose title bar no screen shows', () => {
      expect(placeWindow({ x: 0, y: 0, width: 2000, height: 1200, maximized: false }, [laptop])).toEqual({ bounds: { x: 0, y: 0, width: 1440, height: 860 }, maximized: false });
      expect(placeWindow({ x: 1600, y: 50, width: 2000, height: 1200, maximized: true }, [laptop])).toEqual({ maximized: true });
      // Only its bottom edge is on the screen: the title bar is above it.
      expect(placeWindow({ x: 100, y: -790, width: 1200, height: 800, maximized: false }, [laptop])).toEqual({ maximized: false });
      expect(placeWindow(undefined, [laptop])).toEqual({ maximized: false });
    });
  });

  describe('quitting', () => {
    it('waits for a send in progress: the message reaches the server and is marked sent, then the app quits', async () => {
      const smtp = await startSmtpServer();
      try {
        const dataDir = newDataDir();
        const channel = { ...OFFLINE_CHANNEL, id: 'support', smtp: { host: smtp.host, port: smtp.port, tls: 'none', user: OPERATOR.address, password: OPERATOR.password } };
        const desktop = await start(dataDir, { channels: [channel] });
        const { services } = desktop;
        const created = services.clientService.create({ name: 'Ирина', email: 'irina@example.test' });
        if (created.status !== 'created') throw new Error('expected a new client');
        const draft = services.drafts.openOutgoing(created.client.id, 'support');
        services.drafts.update(draft.id, { subject: 'Счёт', text: 'Счёт во вложении.' });
        // The server takes the message and holds its answer: the send is in progress when Quit comes.
        smtp.delayNextData(1500, 'before-replying');
        await services.drafts.send(draft.id);
        await vi.waitFor(() => expect(smtp.dataAttempts).toBe(1), { timeout: 10_000 });

        app.quit();
        expect(recorded.quits).toBe(1);
        // Held: the quit waits while the server has not answered.
        expect(smtp.received).toHaveLength(0);
        await vi.waitFor(() => expect(recorded.quits).toBe(2), { timeout: 20_000 });

        expect(smtp.received).toHaveLength(1);
        const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
        try {
          expect(db.prepare("SELECT status FROM messages WHERE direction = 'out'").all()).toEqual([{ status: 'sent' }]);
        } finally {
          db.close();
        }
      } finally {
        await smtp.stop();
      }
    });

    it('closes the services whatever asked to quit: the last window closing too', async () => {
      const dataDir = newDataDir();
      await start(dataDir);
      app.emit('window-all-closed');
      await vi.waitFor(() => expect(recorded.quits).toBe(2), { timeout: 20_000 });
      // The store was closed cleanly: SQLite's write-ahead log was folded back in and removed.
      expect(existsSync(path.join(dataDir, `${DATABASE_FILE}-wal`))).toBe(false);
    });
  });
});
