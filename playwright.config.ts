import { defineConfig } from '@playwright/test';
import { findElectronBinary, type DriverName } from './tests/support/electron-binary';

// Debian's Chromium: Playwright's own browser download is impossible on these machines.
const CHROMIUM = process.env.POSTDESK_CHROMIUM ?? '/usr/bin/chromium';

// One suite, two drivers (tests/e2e/driver.ts): the browser host in Chromium, or the built
// desktop app through Playwright's _electron. `npx playwright test` runs both projects; where
// no Electron binary was downloaded, each electron test is skipped with the reason (the
// fixture `electronPresent`), and scripts/test-summary.mjs counts those skips apart.
const electron = findElectronBinary();
const browserOnly = process.argv.some((arg, i, all) => arg === '--project=browser' || (arg === '--project' && all[i + 1] === 'browser'));
if (!electron.found && !browserOnly && !process.env.TEST_WORKER_INDEX) console.log(`[electron project] every test skipped: ${electron.reason}`);

export default defineConfig<object, { driver: DriverName }>({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '.tmp/e2e-results.json' }]],
  use: { trace: 'retain-on-failure' },
  projects: [
    {
      name: 'browser',
      use: {
        driver: 'browser',
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    {
      name: 'electron',
      // What only the browser host has (its door, one-time links and cookies; web notifications;
      // a page of the browser's own) is tagged @browser-only, each with its reason beside the tag.
      grepInvert: /@browser-only/,
      use: { driver: 'electron' },
    },
  ],
});
