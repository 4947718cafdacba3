// Builds better-sqlite3 for the Electron in node_modules into .electron-native/<version>/, beside
// node_modules and not in it: node_modules keeps the build for Node, which runs the tests, the
// browser host and the seeding of the e2e specs, while Electron run from the sources (npm start,
// the Electron e2e project) loads this one (main/app/native-binding.ts). Rebuilding node_modules
// in place for Electron, as `electron-builder install-app-deps` does, would break every test run
// under Node after it. The packaged app gets its own build at packaging (electron-builder's
// npmRebuild). Needs the network (a prebuilt binary, or Electron's headers to compile against).
//
//   node scripts/electron-native.mjs            build unless already built for this Electron
//   node scripts/electron-native.mjs --force    build again
//   node scripts/electron-native.mjs --print    print the commands it would run, run nothing
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

export function electronNativePlan(root = ROOT, arch = process.arch) {
  const version = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const dir = path.join(root, '.electron-native', version);
  const work = path.join(dir, 'better-sqlite3');
  const node = (script, ...rest) => ({ command: process.execPath, args: [path.join(root, 'node_modules', script), ...rest], cwd: work });
  return {
    version,
    source: path.join(root, 'node_modules/better-sqlite3'),
    work,
    built: path.join(work, 'build/Release/better_sqlite3.node'),
    binding: path.join(dir, 'better_sqlite3.node'),
    // better-sqlite3's own install order: its prebuilt binary for this Electron, else a compile
    // against Electron's headers (what @electron/rebuild would run).
    attempts: [
      node('prebuild-install/bin.js', '--runtime', 'electron', '--target', version, '--arch', arch, '--verbose'),
      node('node-gyp/bin/node-gyp.js', 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'),
    ],
  };
}

function main() {
  const plan = electronNativePlan();
  if (args.has('--print')) {
    for (const { command, args: rest, cwd } of plan.attempts) console.log(`(cd ${cwd} && ${[command, ...rest].join(' ')})`);
    console.log(`→ ${plan.binding}`);
    return 0;
  }
  if (existsSync(plan.binding) && !args.has('--force')) {
    console.log(`better-sqlite3 for Electron ${plan.version}: ${path.relative(ROOT, plan.binding)} (built before; --force builds again)`);
    return 0;
  }
  rmSync(plan.work, { recursive: true, force: true });
  mkdirSync(path.dirname(plan.work), { recursive: true });
  // The package's sources without its Node build, so nothing of Node's is mistaken for Electron's.
  cpSync(plan.source, plan.work, { recursive: true, filter: (file) => !file.startsWith(path.join(plan.source, 'build')) });
  for (const { command, args: rest, cwd } of plan.attempts) {
    const run = spawnSync(command, rest, { cwd, stdio: 'inherit' });
    if (run.status === 0 && existsSync(plan.built)) {
      renameSync(plan.built, plan.binding);
      rmSync(plan.work, { recursive: true, force: true });
      console.log(`better-sqlite3 for Electron ${plan.version}: ${path.relative(ROOT, plan.binding)}`);
      return 0;
    }
  }
  console.error(`could not build better-sqlite3 for Electron ${plan.version} (both attempts above failed; they need the network)`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
