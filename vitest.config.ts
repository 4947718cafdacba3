import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
        resolve: {
          // No Electron binary runs here: the shell's wiring is tested against a stand-in module.
          alias: { electron: fileURLToPath(new URL('./tests/support/electron-stand-in.ts', import.meta.url)) },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own Dovecot and SMTP server; two cores, so two at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
