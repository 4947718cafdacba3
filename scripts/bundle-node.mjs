// One way to bundle Node code of ours (the Electron main process, a bench worker, a test's
// child process): ESM, packages left in node_modules, and the worker threads the code starts
// (found beside it by a relative URL, as beside their sources) bundled next to it.
import path from 'node:path';

/** Worker threads' entries and the names they are looked up by beside the bundle that starts them. */
const WORKERS = [
  ['main/files/docx-worker.mjs', 'docx-worker.mjs'],
  ['main/mail/scan-worker.ts', 'scan-worker.mjs'],
];

const ROOT = path.resolve(import.meta.dirname, '..');

/** Bundles `entry` (relative to the repository root) to `outfile`, and the workers beside it. */
export async function bundleNode({ entry, outfile, target = 'node20', sourcemap = false, logLevel = 'error' }) {
  // Loaded here, not at the top: a bench worker bundles the module that calls this, and must not carry esbuild.
  const { build } = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    target,
    sourcemap,
    logLevel,
    format: 'esm',
    // Native and packaged dependencies stay in node_modules (better-sqlite3 is rebuilt for Electron).
    packages: 'external',
    // Bundled CommonJS helpers call require(), which ESM lacks.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
  await build({ ...common, entryPoints: [path.resolve(ROOT, entry)], outfile });
  for (const [source, name] of WORKERS) {
    await build({ ...common, entryPoints: [path.resolve(ROOT, source)], outfile: path.join(path.dirname(outfile), name) });
  }
}
