// Which better-sqlite3 build Electron loads. Packaged, the app's own (rebuilt for Electron at
// packaging). Run from the sources (npm start, the Electron e2e tests), node_modules holds the
// build for Node, which the tests and the browser host use; scripts/electron-native.mjs puts one
// for Electron beside it, in .electron-native/<Electron's version>/.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ELECTRON_NATIVE_DIR = '.electron-native';

/** The Electron build for a run from the sources; undefined when packaged or not built (then node_modules' is tried). */
export function sourceNativeBinding(root: string, packaged: boolean, electronVersion: string | undefined): string | undefined {
  if (packaged || !electronVersion) return undefined;
  const binding = path.join(root, ELECTRON_NATIVE_DIR, electronVersion, 'better_sqlite3.node');
  return existsSync(binding) ? binding : undefined;
}
