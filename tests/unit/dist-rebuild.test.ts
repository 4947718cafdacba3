// `npm run dist` ships better-sqlite3 built for Electron's ABI, not Node's. Where no Electron can
// be downloaded the rebuild cannot run (it needs Electron's headers or prebuilt binary), so its
// command is checked here, and @electron/rebuild is asked what it would rebuild for which
// Electron, stopped before it builds anything. CI's `npm run dist` on each OS runs it for real.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { rebuild } from '@electron/rebuild';
import { getElectronVersion } from 'app-builder-lib/out/electron/electronVersion';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import packageJson from '../../package.json';

const ROOT = path.resolve(import.meta.dirname, '../..');
const builderConfig = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('the rebuild for Electron in npm run dist', () => {
  it('builds, rebuilds the native modules for Electron in a step of its own, then packages with electron-builder.yml last', () => {
    // Last, so that `npm run dist -- --publish never` hands its options to the packaging.
    expect(packageJson.scripts.dist.split('&&').map((command) => command.trim())).toEqual([
      'node scripts/build.mjs',
      'electron-builder install-app-deps',
      expect.stringMatching(/^electron-builder --config \S+$/),
    ]);
    // The packaging rebuilds too, for whoever packages without the script, and keeps native modules out of the archive.
    expect(builderConfig).toMatchObject({ npmRebuild: true, asarUnpack: expect.arrayContaining(['**/*.node']) });
  });

  it('targets the Electron of devDependencies, and would rebuild exactly better-sqlite3 (stopped before it builds)', async () => {
    // Pinned, and installed at that version: electron-builder reads it from node_modules/electron.
    expect(packageJson.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
    const electronVersion = await getElectronVersion(ROOT, builderConfig);
    expect(electronVersion).toBe(packageJson.devDependencies.electron);

    // As electron-builder calls it (app-builder-lib's util/yarn.js); the modules it found are the
    // last thing it reports before rebuilding the first, and a throwing listener ends it there.
    // (Should a later version go on regardless, better-sqlite3 is on its list of modules to skip.)
    const native = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const before = statSync(native).mtimeMs;
    const stop = new Error('dry run: nothing is rebuilt');
    let found: string[] = [];
    const run = rebuild({ buildPath: ROOT, projectRootPath: ROOT, electronVersion, mode: 'sequential', disablePreGypCopy: true, ignoreModules: ['better-sqlite3'] });
    run.lifecycle.on('modules-found', (modules: string[]) => {
      found = modules;
      throw stop;
    });
    await expect(run).rejects.toBe(stop);
    expect(found).toEqual(['better-sqlite3']);
    expect(statSync(native).mtimeMs).toBe(before);

    // Which is needed: Electron's module ABI is not this Node's, so Node's build would not load.
    const { getAbi } = createRequire(import.meta.url)('node-abi') as { getAbi(target: string, runtime: string): string };
    expect(getAbi(electronVersion, 'electron')).not.toBe(process.versions.modules);
  });
});
