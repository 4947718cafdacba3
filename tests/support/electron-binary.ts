// Whether an Electron binary is there to drive, found the way node_modules/electron/index.js
// finds it (path.txt names it under dist/, or ELECTRON_OVERRIDE_DIST_PATH holds it), without
// requiring that module: where the binary is missing, requiring it starts a download.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ELECTRON_DIR = path.resolve(import.meta.dirname, '../../node_modules/electron');

/** Why the Electron project's tests are skipped where no binary was downloaded (as on the dev machines). */
export const NO_ELECTRON = 'no Electron binary: node_modules/electron/dist is missing (run `node node_modules/electron/install.js` where downloads work)';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(electronDir: string = ELECTRON_DIR, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pathFile = path.join(electronDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, named || 'electron');
    return existsSync(binary) ? { found: true, path: binary } : { found: false, reason: `no Electron binary: ${binary} (from ELECTRON_OVERRIDE_DIST_PATH) is missing` };
  }
  if (!named) return { found: false, reason: NO_ELECTRON };
  const binary = path.join(electronDir, 'dist', named);
  return existsSync(binary) ? { found: true, path: binary } : { found: false, reason: NO_ELECTRON };
}

export type DriverName = 'browser' | 'electron';

/** Whether a test of this driver's project is skipped, and why: only Electron's, only with no binary. */
export function electronSkip(driver: DriverName, electronDir: string = ELECTRON_DIR, env: NodeJS.ProcessEnv = process.env): { skip: false } | { skip: true; reason: string } {
  if (driver !== 'electron') return { skip: false };
  const binary = findElectronBinary(electronDir, env);
  return binary.found ? { skip: false } : { skip: true, reason: binary.reason };
}
