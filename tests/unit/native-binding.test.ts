// Node and Electron each load their own better-sqlite3: node_modules' for Node (the tests, the
// browser host), .electron-native/<version>/ for Electron run from the sources. Building the
// latter needs the network, so here the plan is checked and the loading is fed real builds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_NATIVE_DIR, sourceNativeBinding } from '../../main/app/native-binding';
import { openDatabase } from '../../main/store/database';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ELECTRON = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version as string;
const NODE_BUILD = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');

describe('better-sqlite3 for Electron run from the sources', () => {
  it('is built by npm start, beside node_modules, for the Electron in devDependencies', () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toMatch(/^node scripts\/electron-native\.mjs && /);
    const printed = execFileSync(process.execPath, [path.join(ROOT, 'scripts/electron-native.mjs'), '--print'], { encoding: 'utf8' }).trim().split('\n');
    // Its prebuilt binary for this Electron first, else a compile against Electron's headers; node_modules untouched.
    expect(printed[0]).toContain(`prebuild-install/bin.js --runtime electron --target ${ELECTRON} --arch ${process.arch}`);
    expect(printed[1]).toContain(`node-gyp/bin/node-gyp.js rebuild --release --target=${ELECTRON} --arch=${process.arch} --dist-url=https://electronjs.org/headers`);
    for (const line of printed.slice(0, 2)) expect(line).toContain(`(cd ${path.join(ROOT, ELECTRON_NATIVE_DIR, ELECTRON, 'better-sqlite3')} && `);
    expect(printed[2]).toBe(`→ ${path.join(ROOT, ELECTRON_NATIVE_DIR, ELECTRON, 'better_sqlite3.node')}`);
  });

  it('is what Electron loads when run from the sources and it exists; never in the packaged app', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'postdesk-native-'));
    expect(sourceNativeBinding(root, false, ELECTRON)).toBeUndefined();
    const binding = path.join(root, ELECTRON_NATIVE_DIR, ELECTRON, 'better_sqlite3.node');
    mkdirSync(path.dirname(binding), { recursive: true });
    writeFileSync(binding, '');
    expect(sourceNativeBinding(root, false, ELECTRON)).toBe(binding);
    // Packaged, the app's own build: a file in a folder beside the app must not be loaded into it.
    expect(sourceNativeBinding(root, true, ELECTRON)).toBeUndefined();
    // Under plain Node there is no Electron version.
    expect(sourceNativeBinding(root, false, undefined)).toBeUndefined();
  });

  it('opens the store with the build it is given, and refuses a file that is no build with a clear error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-native-'));
    const db = openDatabase(path.join(dir, 'a.sqlite'), NODE_BUILD);
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
    const fake = path.join(dir, 'better_sqlite3.node');
    writeFileSync(fake, 'not a shared object');
    expect(() => openDatabase(path.join(dir, 'b.sqlite'), fake)).toThrow(/better_sqlite3\.node|invalid ELF header|file too short/);
  });
});
