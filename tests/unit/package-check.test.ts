// The rules scripts/check-asar.mjs applies to the packaged app (npm test runs it on a real
// electron-builder package): each mistake a packaging change could make is named.
import { describe, expect, it } from 'vitest';
import { packageProblems, type PackagedFile } from '../../scripts/check-asar.mjs';

const NATIVE = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

/** A package that is right: our built files, one production package with its native module outside the archive. */
function app(changes: { files?: PackagedFile[]; contents?: Record<string, string>; drop?: string[] } = {}) {
  const contents: Record<string, string> = {
    'package.json': '{}',
    'dist/main/main.js': '',
    'dist/main/docx-worker.mjs': '',
    'dist/main/scan-worker.mjs': '',
    'dist/preload/index.cjs': '',
    'dist/renderer/index.html': '',
    'config/defaults.json': '{"channels":[]}',
    'node_modules/better-sqlite3/package.json': '{"name":"better-sqlite3","version":"12.0.0"}',
    ...changes.contents,
  };
  const files = [
    ...Object.keys(contents).map((path) => ({ path, unpacked: path.startsWith('node_modules/better-sqlite3/') })),
    { path: NATIVE, unpacked: true },
    ...(changes.files ?? []),
  ].filter((f) => !changes.drop?.includes(f.path));
  return packageProblems({
    files,
    read: (file) => contents[file]!,
    unpackedOnDisk: (file) => file === NATIVE,
    manifest: { main: 'dist/main/main.js', dependencies: { 'better-sqlite3': '^12.0.0' } },
    lock: {
      packages: {
        '': {},
        'node_modules/better-sqlite3': { version: '12.0.0' },
        'node_modules/vitest': { version: '4.0.0', dev: true },
        // The same name in two versions: only the development one is refused.
        'node_modules/iconv-lite': { version: '0.7.0', dev: true },
        'node_modules/imapflow/node_modules/iconv-lite': { version: '0.6.3' },
      },
    },
  });
}

describe('the packaged app check', () => {
  it('passes a package with the built app, production packages and the native module unpacked', () => {
    expect(app()).toEqual([]);
    // electron-builder hoists a nested production package: found by name and version.
    expect(app({ contents: { 'node_modules/iconv-lite/package.json': '{"name":"iconv-lite","version":"0.6.3"}' } })).toEqual([]);
  });

  it('refuses sources, tests, source maps and files that are not part of the built app', () => {
    expect(app({ files: [{ path: 'main/app/main.ts', unpacked: false }, { path: 'tests/unit/x.test.ts', unpacked: false }, { path: 'dist/main/main.js.map', unpacked: false }, { path: 'dist/main/types.d.ts', unpacked: false }] })).toEqual([
      'main/app/main.ts is not part of the built app (sources, tests and tools stay out)',
      'tests/unit/x.test.ts is not part of the built app (sources, tests and tools stay out)',
      'dist/main/types.d.ts is a source file',
      'dist/main/main.js.map is a source map',
    ]);
  });

  it('refuses keys and credentials anywhere, and a config that holds a password', () => {
    expect(
      app({
        files: [{ path: '.env', unpacked: false }, { path: 'node_modules/better-sqlite3/test/server.key', unpacked: true }],
        contents: { 'config/example.json': '{"channels":[{"imap":{"passwordEnv":"P"},"smtp":{"password":"hunter2"}}]}' },
      }),
    ).toEqual([
      '.env is not part of the built app (sources, tests and tools stay out)',
      '.env looks like a key or credentials',
      'node_modules/better-sqlite3/test/server.key looks like a key or credentials',
      'config/example.json holds a password (channels[0].smtp.password): ship passwordEnv, never the password',
    ]);
  });

  it('refuses development packages and unknown ones, and names a missing dependency', () => {
    expect(
      app({
        contents: {
          'node_modules/vitest/package.json': '{"name":"vitest","version":"4.0.0"}',
          'node_modules/iconv-lite/package.json': '{"name":"iconv-lite","version":"0.7.0"}',
          'node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.0.0"}',
        },
        drop: ['node_modules/better-sqlite3/package.json'],
      }),
    ).toEqual([
      'node_modules/vitest (vitest@4.0.0) is a development dependency',
      'node_modules/iconv-lite (iconv-lite@0.7.0) is a development dependency',
      "node_modules/left-pad (left-pad@1.0.0) is not in package-lock.json's production packages",
      'the dependency better-sqlite3 is missing from node_modules',
    ]);
  });

  it('refuses a native module inside the archive, or missing from app.asar.unpacked, and a better-sqlite3 without one', () => {
    expect(app({ files: [{ path: 'node_modules/better-sqlite3/build/Release/test_extension.node', unpacked: false }] })).toEqual([
      'node_modules/better-sqlite3/build/Release/test_extension.node is a native module inside the archive (Electron cannot load it there: asarUnpack)',
    ]);
    expect(app({ files: [{ path: 'node_modules/better-sqlite3/build/Release/other.node', unpacked: true }] })).toEqual([
      'node_modules/better-sqlite3/build/Release/other.node is marked unpacked but is not in app.asar.unpacked',
    ]);
    expect(app({ drop: [NATIVE] })).toEqual(['better-sqlite3 has no better_sqlite3.node']);
    expect(app({ drop: ['dist/preload/index.cjs'] })).toEqual(['dist/preload/index.cjs is missing']);
  });
});
