// Builds what the app runs: the renderer (Vite) and, for Electron, the main process (ESM) and
// the sandboxed preload (one CommonJS file: a sandboxed preload cannot load modules).
// --renderer-only is enough for the browser host, which runs main/ from source with tsx.
// --outdir DIR builds elsewhere than dist/ (the desktop smoke test builds its own copy; DIR must
// be inside the repository, where the bundle's packages resolve from node_modules).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build as esbuild } from 'esbuild';
import { bundleNode } from './bundle-node.mjs';
import { build as viteBuild } from 'vite';

const { values: args } = parseArgs({
  options: { quiet: { type: 'boolean' }, 'renderer-only': { type: 'boolean' }, outdir: { type: 'string', default: 'dist' } },
});
const quiet = args.quiet === true;
const outdir = path.resolve(args.outdir);

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'error' : 'info', build: { outDir: path.join(outdir, 'renderer') } });

if (!args['renderer-only']) {
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: quiet ? 'error' : 'info' };
  // The main process and its worker threads (DOCX preview, mail scanning) beside it.
  await bundleNode({ entry: 'main/app/main.ts', outfile: path.join(outdir, 'main/main.js'), target: 'node22', sourcemap: true, logLevel: common.logLevel });
  await esbuild({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: path.join(outdir, 'preload/index.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
}
