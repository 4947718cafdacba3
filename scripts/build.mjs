// Builds what the app runs: the renderer (Vite) and, for Electron, the main process (ESM) and
// the sandboxed preload (one CommonJS file: a sandboxed preload cannot load modules).
// --renderer-only is enough for the browser host, which runs main/ from source with tsx.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'error' : 'info' });

if (!args.has('--renderer-only')) {
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: quiet ? 'error' : 'info' };
  await esbuild({
    ...common,
    entryPoints: ['main/app/main.ts'],
    outfile: 'dist/main/main.js',
    format: 'esm',
    // Native and packaged dependencies stay in node_modules (better-sqlite3 is rebuilt for Electron).
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // The DOCX converter's worker thread (main/files/docx-worker.mjs), found beside main.js by the
  // same relative URL as beside its source.
  await esbuild({ ...common, entryPoints: ['main/files/docx-worker.mjs'], outfile: 'dist/main/docx-worker.mjs', format: 'esm', packages: 'external' });
  await esbuild({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    external: ['electron'],
  });
}
