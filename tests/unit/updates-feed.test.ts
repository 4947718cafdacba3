// The Updates use case with the real electron-updater (its Linux AppImageUpdater), against a real
// local HTTP server serving a generic feed as electron-builder publishes it: latest-linux.yml beside
// the installer. electron-updater is CommonJS loaded by Node itself, so its require('electron') is
// answered with the same stand-in the shell's tests use (tests/support/electron-stand-in.ts, whose
// net.request is Node's http). What is not real: the installed app (app-update.yml is the test's,
// read as electron-updater's forceDevUpdateConfig allows) and the install itself (quitAndInstall is
// watched, not run: it would replace the running AppImage and quit).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as ElectronUpdater from 'electron-updater';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Updates, type Updater } from '../../main/app/updates';
import { EventBus } from '../../main/events';
import * as electron from '../support/electron-stand-in';
import { recordingLog } from '../support/recording-log';

const require = createRequire(import.meta.url);
// electron-updater asks for 'electron' through Node's require: it gets the stand-in (until afterAll).
const ELECTRON = require.resolve('electron');
require.cache[ELECTRON] = { exports: electron, loaded: true } as unknown as NodeJS.Module;
const { AppImageUpdater } = require('electron-updater') as typeof ElectronUpdater;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'postdesk-updates-'));
const installer = randomBytes(256 * 1024);
const INSTALLER_NAME = 'Postdesk-0.2.0.AppImage';

/** What the feed says is the latest version (the server answers 404 for the feed when null). */
let feedVersion: string | null = '0.2.0';
/** The server hands out other bytes than the feed's checksum names (a broken mirror, a tampered file). */
let tampered = false;
const served: string[] = [];

function latestLinuxYml(version: string): string {
  const sha512 = createHash('sha512').update(installer).digest('base64');
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${INSTALLER_NAME}`,
    `    sha512: ${sha512}`,
    `    size: ${installer.length}`,
    `path: ${INSTALLER_NAME}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-12-06T12:00:00.000Z'",
    '',
  ].join('\n');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://feed');
  served.push(url.pathname);
  if (url.pathname === '/latest-linux.yml' && feedVersion) return res.end(latestLinuxYml(feedVersion));
  if (url.pathname === `/${INSTALLER_NAME}`) return res.end(tampered ? Buffer.from(installer).fill(0, 0, 16) : installer);
  res.statusCode = 404;
  res.end('Not found');
});

function setUp() {
  const updater = new AppImageUpdater();
  updater.forceDevUpdateConfig = true;
  updater.updateConfigPath = path.join(tmp, 'app-update.yml');
  // A fresh file every run: no blockmap to download against, so the whole installer comes.
  updater.disableDifferentialDownload = true;
  const install = vi.spyOn(updater, 'quitAndInstall').mockImplementation(() => {});
  const updates = new Updates({ enabled: true, packaged: true, server: true, version: '0.1.0', updater: () => updater as Updater });
  const events = new EventBus();
  const ready: unknown[] = [];
  events.subscribe((event, payload) => event === 'app.updateReady' && ready.push(payload));
  const log = recordingLog();
  return { updates, install, ready, log, start: () => updates.start(log, events) };
}

// A download and its SHA-512 over loopback: quick, but the machine is shared and busy.
describe('updates from a real generic feed, through the real electron-updater', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(path.join(tmp, 'app-update.yml'), `provider: generic\nurl: http://127.0.0.1:${port}/\nupdaterCacheDirName: postdesk-updater-test\n`);
  });
  afterAll(async () => {
    delete require.cache[ELECTRON];
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    served.length = 0;
    vi.spyOn(electron.app, 'getVersion').mockReturnValue('0.1.0');
    // Where electron-updater keeps the download (a fresh one each test: it reuses a verified
    // download), and the AppImage it would replace.
    vi.stubEnv('XDG_CACHE_HOME', mkdtempSync(path.join(tmp, 'cache-')));
    const running = path.join(tmp, 'Postdesk-0.1.0.AppImage');
    writeFileSync(running, 'the running version');
    vi.stubEnv('APPIMAGE', running);
    return () => {
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
    };
  });

  it('finds a newer version, downloads and verifies it in the background, tells the page, and installs on Restart to update', async () => {
    feedVersion = '0.2.0';
    const { updates, install, ready, start } = setUp();
    expect(() => updates.restartToUpdate()).toThrow('No update has been downloaded yet.');
    start();
    await vi.waitFor(() => expect(updates.current).toEqual({ kind: 'ready', version: '0.2.0' }), { timeout: 20_000 });
    expect(ready).toEqual([{ version: '0.2.0' }]);
    expect(served).toEqual(['/latest-linux.yml', `/${INSTALLER_NAME}`]);
    updates.restartToUpdate();
    expect(install).toHaveBeenCalledTimes(1);
    updates.stop();
  });

  it('refuses a download whose bytes are not the ones the feed names, and offers no restart', async () => {
    feedVersion = '0.2.0';
    tampered = true;
    try {
      const { updates, ready, log, start } = setUp();
      start();
      await vi.waitFor(() => expect(updates.current).toMatchObject({ kind: 'error', reason: expect.stringContaining('sha512 checksum mismatch') }), { timeout: 20_000 });
      expect(ready).toEqual([]);
      expect(() => updates.restartToUpdate()).toThrow('No update has been downloaded yet.');
      expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
      updates.stop();
    } finally {
      tampered = false;
    }
  });

  it('says it is up to date when the feed has the running version, and why it failed when there is no feed', async () => {
    feedVersion = '0.1.0';
    const upToDate = setUp();
    expect(await upToDate.updates.check()).toEqual({ kind: 'upToDate', version: '0.1.0' });
    expect(served).toEqual(['/latest-linux.yml']);

    feedVersion = null;
    const failing = setUp();
    failing.start();
    const answer = await failing.updates.check();
    expect(answer).toMatchObject({ kind: 'failed', reason: expect.stringContaining('404') });
    expect(failing.log.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual(['updates: checking or downloading failed']);
    expect(failing.ready).toEqual([]);
    failing.updates.stop();
  });
});
