// Builds what the app runs: the renderer (Vite) and, for Electron, the main process (ESM) and
// the sandboxed preload (one CommonJS file: a sandboxed preload cannot load modules).
// --renderer-only is enough for the browser host, which runs main/ from source with tsx.
import { build as esbuild } from 'esbuild';
import { bundleNode } from './bundle-node.mjs';
import { build as viteBuild } from 'vite';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'error' : 'info' });

if (!args.has('--renderer-only')) {
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: quiet ? 'error' : 'info' };
  // The main process and its worker threads (DOCX preview, mail scanning) beside it.
  await bundleNode({ entry: 'main/app/main.ts', outfile: 'dist/main/main.js', target: 'node22', sourcemap: true, logLevel: common.logLevel });
  await esbuild({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    external: ['electron'],
  });
}
