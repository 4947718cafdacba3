// Packages the built app as `npm run dist` does (electron-builder with the config file its
// script names, into a temporary folder) and checks what would ship in resources/app.asar: our built files and only
// them (no sources, tests, source maps, secrets), the production packages of package-lock.json
// and no development one, and every native module (better-sqlite3) outside the archive.
// Run after `node scripts/build.mjs` (npm test does). Works offline, where no Electron binary can
// be downloaded, with three overrides and nothing else:
// - electronDist: a stand-in Electron distribution, a folder with one empty `electron` file;
// - electronFuses off: fuses are flipped inside the real binary, which this one is not;
// - npmRebuild off: the rebuild for Electron's ABI needs Electron's headers (a download), and it
//   rebuilds node_modules/better-sqlite3 in place, after which plain Node (the tests) cannot load it.
// What that leaves to CI on real OSes: the installers, the fuses, the rebuilt module loading in Electron.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

/** What the app itself puts in the archive, besides node_modules/: anything else is a mistake. */
const OWN_FILES = [/^package\.json$/, /^dist\/(main|preload|renderer)\//, /^config\/[^/]+\.json$/];
const REQUIRED_FILES = [
  'package.json',
  'dist/main/main.js',
  'dist/main/docx-worker.mjs',
  'dist/main/scan-worker.mjs',
  'dist/preload/index.cjs',
  'dist/renderer/index.html',
  'config/defaults.json',
];
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
/** Key material and credentials, wherever they are (a package's test fixtures included). */
const SECRET_FILE = /(^|\/)(\.env(\..*)?|\.npmrc|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx|keystore|jks))$/i;

/**
 * Every file in an archive header, depth first: its path inside the archive and whether it lies
 * outside the archive (in app.asar.unpacked/).
 * @param {import('@electron/asar').DirectoryRecord} directory
 * @returns {Array<{ path: string, unpacked: boolean }>}
 */
export function filesOf(directory, prefix = '') {
  return Object.entries(directory.files).flatMap(([name, entry]) => {
    const file = prefix + name;
    if ('files' in entry) return filesOf(entry, `${file}/`);
    return 'link' in entry ? [] : [{ path: file, unpacked: entry.unpacked === true }];
  });
}

/** `node_modules/a/node_modules/@s/b/package.json` → the package folder, else null. */
function packageFolder(file) {
  return /^(.*node_modules\/(?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/.exec(file)?.[1] ?? null;
}

/**
 * What is wrong with a packaged app, one sentence a problem (none: it is fine).
 * @param {{
 *   files: Array<{ path: string, unpacked: boolean }>,
 *   read: (file: string) => string,
 *   unpackedOnDisk: (file: string) => boolean,
 *   manifest: { main: string, dependencies: Record<string, string> },
 *   lock: { packages: Record<string, { name?: string, version?: string, dev?: boolean }> },
 * }} app
 * @returns {string[]}
 */
export function packageProblems({ files, read, unpackedOnDisk, manifest, lock }) {
  const problems = [];
  const paths = new Set(files.map((f) => f.path));
  const own = files.filter((f) => !f.path.startsWith('node_modules/'));

  for (const file of [...REQUIRED_FILES, manifest.main]) if (!paths.has(file)) problems.push(`${file} is missing`);
  for (const { path: file } of own) {
    if (!OWN_FILES.some((allowed) => allowed.test(file))) problems.push(`${file} is not part of the built app (sources, tests and tools stay out)`);
    else if (SOURCE_FILE.test(file)) problems.push(`${file} is a source file`);
  }
  for (const { path: file } of files) {
    if (file.endsWith('.map')) problems.push(`${file} is a source map`);
    if (SECRET_FILE.test(file)) problems.push(`${file} looks like a key or credentials`);
  }
  for (const { path: file } of own.filter((f) => f.path.startsWith('config/'))) {
    for (const key of passwordsIn(JSON.parse(read(file)))) problems.push(`${file} holds a password (${key}): ship passwordEnv, never the password`);
  }

  // Packages by name and version: electron-builder lays node_modules out anew, so paths differ from the lock's.
  const production = new Set();
  const development = new Set();
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (!where) continue;
    const id = `${entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`;
    (entry.dev ? development : production).add(id);
  }
  const shipped = new Set();
  for (const folder of files.map((f) => packageFolder(f.path)).filter((f) => f !== null)) {
    const { name, version } = JSON.parse(read(`${folder}/package.json`));
    shipped.add(name);
    if (production.has(`${name}@${version}`)) continue;
    problems.push(development.has(`${name}@${version}`) ? `${folder} (${name}@${version}) is a development dependency` : `${folder} (${name}@${version}) is not in package-lock.json's production packages`);
  }
  for (const name of Object.keys(manifest.dependencies)) if (!shipped.has(name)) problems.push(`the dependency ${name} is missing from node_modules`);

  const natives = files.filter((f) => f.path.endsWith('.node'));
  for (const { path: file, unpacked } of natives) {
    if (!unpacked) problems.push(`${file} is a native module inside the archive (Electron cannot load it there: asarUnpack)`);
    else if (!unpackedOnDisk(file)) problems.push(`${file} is marked unpacked but is not in app.asar.unpacked`);
  }
  if (!natives.some((f) => f.path === 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')) problems.push('better-sqlite3 has no better_sqlite3.node');
  return problems;
}

/** Paths of keys named like a password that hold a value (passwordEnv names a variable: fine). */
function passwordsIn(value, at = '') {
  if (Array.isArray(value)) return value.flatMap((item, i) => passwordsIn(item, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const where = at ? `${at}.${key}` : key;
    if (/pass(word)?$|secret|token/i.test(key) && typeof inner === 'string' && inner !== '') return [where];
    return passwordsIn(inner, where);
  });
}

/** The config file `npm run dist` packages with: its `electron-builder --config FILE`. */
function distConfigFile(manifest) {
  const file = /electron-builder --config (\S+)/.exec(manifest.scripts?.dist ?? '')?.[1];
  if (!file) throw new Error('package.json: the dist script names no electron-builder --config FILE');
  return file;
}

/** Packages dist/ with electron-builder into `output`; resolves to the resources folder. */
async function pack(output, manifest) {
  const { build, Platform } = await import('electron-builder');
  // That file as `electron-builder --config FILE` reads it (a .js one may compute its config).
  const { getConfig } = await import('app-builder-lib/out/util/config/config.js');
  const config = await getConfig(ROOT, distConfigFile(manifest), null);
  // The stand-in Electron: electron-builder copies the folder and renames `electron` to the app's executable.
  const electronDist = path.join(output, 'electron-dist');
  mkdirSync(electronDist, { recursive: true });
  writeFileSync(path.join(electronDist, 'electron'), '');
  chmodSync(path.join(electronDist, 'electron'), 0o755);
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    config: { ...config, electronDist, electronFuses: null, npmRebuild: false, directories: { ...config.directories, output: path.join(output, 'release') } },
  });
  return path.join(output, 'release', 'linux-unpacked', 'resources');
}

async function main() {
  const started = Date.now();
  if (!existsSync(path.join(ROOT, 'dist/main/main.js'))) throw new Error('dist/ is not built: run node scripts/build.mjs first');
  const output = mkdtempSync(path.join(os.tmpdir(), 'postdesk-package-'));
  try {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const resources = await pack(output, manifest);
    const asar = await import('@electron/asar');
    const archive = path.join(resources, 'app.asar');
    const files = filesOf(asar.getRawHeader(archive).header);
    const problems = packageProblems({
      files,
      read: (file) => asar.extractFile(archive, file).toString('utf8'),
      unpackedOnDisk: (file) => existsSync(path.join(`${archive}.unpacked`, file)),
      manifest,
      lock: JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')),
    });
    const packages = files.filter((f) => packageFolder(f.path) !== null).length;
    const unpacked = files.filter((f) => f.unpacked).length;
    console.log(`app.asar: ${files.length} files, ${packages} packages, ${unpacked} of them in app.asar.unpacked; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const problem of problems) console.log(`  - ${problem}`);
    if (problems.length > 0) {
      console.log(`The packaged app has ${problems.length} problem(s).`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
