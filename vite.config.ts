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

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Electron's CSP forbids inline scripts; keep the module preload polyfill out.
    modulePreload: { polyfill: false },
  },
});
