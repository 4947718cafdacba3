// The Electron e2e project runs only where a binary was downloaded, and says why it skips
// everywhere else: found exactly as node_modules/electron/index.js finds it, never by requiring
// that module (which would start a download).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELECTRON_DIR, electronSkip, findElectronBinary, NO_ELECTRON } from '../support/electron-binary';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('postdesk-electron-binary-');
afterAll(() => tmp.cleanup());

/** node_modules/electron as npm leaves it: path.txt and dist/ only once install.js has run. */
function electronPackage(name: string, { pathTxt, binary }: { pathTxt?: string; binary?: string }): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  if (pathTxt !== undefined) writeFileSync(path.join(dir, 'path.txt'), pathTxt);
  if (binary !== undefined) {
    mkdirSync(path.dirname(path.join(dir, 'dist', binary)), { recursive: true });
    writeFileSync(path.join(dir, 'dist', binary), '#!/bin/sh\n', { mode: 0o755 });
  }
  return dir;
}

describe('finding the Electron binary', () => {
  it('finds dist/<path.txt> once install.js has downloaded it (Linux, macOS and Windows names)', () => {
    for (const binary of ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe']) {
      const dir = electronPackage(`installed-${binary.length}`, { pathTxt: binary, binary });
      expect(findElectronBinary(dir, {})).toEqual({ found: true, path: path.join(dir, 'dist', binary) });
    }
  });

  it('finds none without path.txt, or when path.txt names a binary that is not there', () => {
    expect(findElectronBinary(electronPackage('never-installed', {}), {})).toEqual({ found: false, reason: NO_ELECTRON });
    expect(findElectronBinary(electronPackage('half-installed', { pathTxt: 'electron' }), {})).toEqual({ found: false, reason: NO_ELECTRON });
  });

  it('takes ELECTRON_OVERRIDE_DIST_PATH as index.js does, and names it when the binary is not there', () => {
    const dist = path.join(electronPackage('override', { binary: 'electron' }), 'dist');
    expect(findElectronBinary(electronPackage('plain', {}), { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ found: true, path: path.join(dist, 'electron') });
    expect(findElectronBinary(electronPackage('plain', {}), { ELECTRON_OVERRIDE_DIST_PATH: tmp.dir })).toEqual({
      found: false,
      reason: `no Electron binary: ${path.join(tmp.dir, 'electron')} (from ELECTRON_OVERRIDE_DIST_PATH) is missing`,
    });
  });

  it('looks in this checkout\'s node_modules/electron by default', () => {
    expect(ELECTRON_DIR).toBe(path.resolve(import.meta.dirname, '../../node_modules/electron'));
  });
});

describe('the e2e suite\'s Electron skip', () => {
  it('skips every test of the electron project, with the reason, where no binary exists', () => {
    const missing = electronPackage('skip-missing', {});
    expect(electronSkip('electron', missing, {})).toEqual({ skip: true, reason: NO_ELECTRON });
  });

  it('runs the electron project where the binary exists, and the browser project whatever Electron has', () => {
    const installed = electronPackage('skip-installed', { pathTxt: 'electron', binary: 'electron' });
    expect(electronSkip('electron', installed, {})).toEqual({ skip: false });
    expect(electronSkip('browser', electronPackage('skip-browser', {}), {})).toEqual({ skip: false });
  });
});
