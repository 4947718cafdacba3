// One e2e suite, two drivers: a spec opens Postdesk with a config, a data dir and a language, and
// gets its page, whichever driver the Playwright project chose (playwright.config.ts):
// - browser: the browser host (`npm run web`'s program) and a page of Debian's Chromium on it;
// - electron: the built desktop app (dist/main/main.js), launched by Playwright's _electron,
//   its first window as the page, its native dialogs answered by --dialog-answers.
// Where the two differ for the operator (a file chooser or a download in the browser, a native
// dialog in the desktop app), the desk's helpers do it each driver's way, so a spec's
// assertions stay the same.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Download, ElectronApplication, Page, PlaywrightWorkerArgs, ViewportSize } from '@playwright/test';
import type { DriverName } from '../support/electron-binary';
import { ROOT, startHost, type RunningHost } from '../support/web-host';

export interface OpenOptions {
  config: string;
  dataDir: string;
  lang?: 'en' | 'ru';
  /** What every "choose a folder" answers: --save-dir for the browser host, the folder picker's answer in Electron. */
  saveDir?: string;
  /** Added to the app's environment (e.g. NODE_EXTRA_CA_CERTS for a test's own HTTPS server). */
  env?: NodeJS.ProcessEnv;
}

/** A file the app saved: a download in the browser, a file written through the Save dialog in Electron. */
export type SavedFile = Pick<Download, 'suggestedFilename' | 'path' | 'saveAs'>;

export interface Desk {
  driver: DriverName;
  page: Page;
  context: BrowserContext;
  /** The page's address once open: the browser host's origin (the one-time token gone), or the desktop app's own scheme. */
  appUrl: string;
  /** Opens the file chooser with `open` (a click) and picks `files` in it. */
  pickFiles(files: string[], open: () => Promise<unknown>): Promise<void>;
  /** The next file the app saves (like page.waitForEvent('download')): call it before the click that saves. */
  nextSave(): Promise<SavedFile>;
  /** How many files the app has saved since this was called (like counting page's download events). */
  countSaves(): () => number;
  close(): Promise<void>;
}

export interface Postdesk {
  driver: DriverName;
  /** Starts Postdesk with its own config and data dir and shows its page; closed when the test ends. */
  open(options: OpenOptions): Promise<Desk>;
}

const BUILT = ['dist/main/main.js', 'dist/preload/index.cjs', 'dist/renderer/index.html'];

/** The browser host and a page of its own browser context on the host's one-time link. */
export async function openInBrowser(browser: Browser, options: OpenOptions): Promise<Desk & { host: RunningHost }> {
  const host = await startHost({
    config: options.config,
    dataDir: options.dataDir,
    lang: options.lang,
    extraArgs: options.saveDir ? ['--save-dir', options.saveDir] : [],
    env: options.env,
  });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    return {
      driver: 'browser',
      host,
      page,
      context,
      appUrl: `${host.origin}/`,
      async pickFiles(files, open) {
        const chooser = page.waitForEvent('filechooser');
        await open();
        await (await chooser).setFiles(files);
      },
      nextSave: () => page.waitForEvent('download'),
      countSaves() {
        let saves = 0;
        page.on('download', () => saves++);
        return () => saves;
      },
      async close() {
        await context.close();
        await host.stop();
      },
    };
  } catch (error) {
    await context.close();
    await host.stop();
    throw error;
  }
}

/** The files in `dir` and its folders that are whole (the app writes a hidden temp file, then renames it). */
function savedFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => !path.basename(name).startsWith('.') && statSync(path.join(dir, name)).isFile());
}

/**
 * The built desktop app under Playwright's _electron, in the dev layout `npm start` runs (the repo
 * root, whose package.json names dist/main/main.js). Playwright finds the binary as `electron`'s
 * index.js does (the fixture skips first where there is none), and its loader leaves the app's
 * own options as process.argv after the app path, where desktop.ts reads them.
 */
export async function openInElectron(
  playwright: PlaywrightWorkerArgs['playwright'],
  dir: string,
  options: OpenOptions & { viewport: ViewportSize | null; ignoreHTTPSErrors: boolean },
): Promise<Desk & { app: ElectronApplication }> {
  const unbuilt = BUILT.filter((file) => !existsSync(path.join(ROOT, file)));
  if (unbuilt.length > 0) throw new Error(`the desktop app is not built (${unbuilt.join(', ')} missing): run \`node scripts/build.mjs\` first`);
  const saves = path.join(dir, 'saved');
  mkdirSync(saves, { recursive: true });
  // What the native dialogs answer, written again before each pick and each save (the app reads it at every dialog).
  const answersFile = path.join(dir, 'dialog-answers.json');
  const answers: { open?: string[]; folder?: string; saveInto?: string } = { folder: options.saveDir, saveInto: saves };
  const answer = (changes: typeof answers) => writeFileSync(answersFile, JSON.stringify(Object.assign(answers, changes)));
  answer({});
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    ...process.env,
    POSTDESK_CONFIG: '',
    POSTDESK_DATA_DIR: '',
    // Electron's userData (and so its single-instance lock) under the test's own folder: desks started at once do not stop each other.
    XDG_CONFIG_HOME: path.join(dir, 'config-home'),
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  const app = await playwright._electron.launch({
    args: [ROOT, '--config', options.config, '--data-dir', options.dataDir, ...(options.lang ? ['--lang', options.lang] : []), '--dialog-answers', answersFile],
    cwd: ROOT,
    env,
    ignoreHTTPSErrors: options.ignoreHTTPSErrors,
  });
  try {
    const page = await app.firstWindow();
    // The window as large as the browser project's page, so layouts (and what is "in view") match.
    if (options.viewport) {
      const window = await app.browserWindow(page);
      await window.evaluate((w, size) => w.setContentSize(size.width, size.height), options.viewport);
    }
    await page.waitForLoadState('domcontentloaded');
    let next = 0;
    return {
      driver: 'electron',
      app,
      page,
      context: app.context(),
      appUrl: 'postdesk://app/index.html',
      async pickFiles(files, open) {
        answer({ open: files });
        await open();
      },
      async nextSave() {
        // A folder of its own for each save: the same name saved twice is two saves.
        const into = path.join(saves, String(++next));
        mkdirSync(into);
        answer({ saveInto: into });
        let found: string[] = [];
        await expectEventually(() => (found = savedFilesIn(into)).length > 0, 'a file saved through the Save dialog');
        const file = path.join(into, found[0]!);
        return {
          suggestedFilename: () => found[0]!,
          path: async () => file,
          saveAs: async (to: string) => copyFileSync(file, to),
        };
      },
      countSaves() {
        const before = savedFilesIn(saves).length;
        return () => savedFilesIn(saves).length - before;
      },
      close: () => app.close(),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Polls `done` as Playwright's expect would, for up to 30 s. */
async function expectEventually(done: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
