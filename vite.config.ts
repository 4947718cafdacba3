import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './common/csp';

/** The same CSP the hosts send as a header, also in the page itself (Electron loads it too). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'postdesk-csp',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * pdf.js's data files, under fixed names in pdfjs/ (renderer/pdf-document.ts points pdf.js there):
 * CMaps for CJK text, the standard fonts a PDF may name without embedding them, and the
 * JavaScript JPEG 2000 decoder pdf.js uses when WebAssembly is off (as our CSP has it). Its
 * worker comes in as a `?url` import like any other asset.
 */
function pdfjsData(): Plugin {
  const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const files = [
    ...['cmaps', 'standard_fonts'].flatMap((folder) => readdirSync(path.join(root, folder)).map((name) => `${folder}/${name}`)),
    'wasm/openjpeg_nowasm_fallback.js',
    'wasm/LICENSE_PDFJS_OPENJPEG',
    'wasm/LICENSE_OPENJPEG',
  ];
  return {
    name: 'postdesk-pdfjs-data',
    apply: 'build',
    generateBundle() {
      for (const file of files) this.emitFile({ type: 'asset', fileName: `pdfjs/${file}`, source: readFileSync(path.join(root, file)) });
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy(), pdfjsData()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Electron's CSP forbids inline scripts; keep the module preload polyfill out.
    modulePreload: { polyfill: false },
  },
});
