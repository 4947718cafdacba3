// Runs inside the desktop smoke test's child process, before the built main bundle
// (`node --import driver.mjs dist/main/main.js …`), bundled by the test beside the stand-in
// `electron` module (tests/support/electron-stand-in.ts, bundled as electron-stand-in.mjs).
// It points the module name `electron` at that stand-in, waits until the app has started, then
// does what the operator's window would (one request over IPC, the page from the postdesk:
// scheme), writes what it saw to POSTDESK_SMOKE_REPORT as JSON lines and closes the last window.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import type * as StandIn from './electron-stand-in';

/** Resolves the bare name `electron` to the stand-in, for the bundle and for this driver alike. */
const HOOKS = `
let standIn;
export function initialize(data) { standIn = data.standIn; }
export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: standIn, shortCircuit: true } : next(specifier, context);
}`;

const reportFile = process.env.POSTDESK_SMOKE_REPORT;
if (!reportFile) throw new Error('POSTDESK_SMOKE_REPORT must name the file the smoke driver reports to');
const report = (step: string, details: Record<string, unknown> = {}) => appendFileSync(reportFile, `${JSON.stringify({ step, ...details })}\n`);

register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
  data: { standIn: new URL('./electron-stand-in.mjs', import.meta.url).href },
});
const { app, recorded } = (await import('electron')) as unknown as typeof StandIn;

// Electron ends the process when the app quits (once no before-quit listener holds it: the app
// holds it until its services have closed); the stand-in does not end it, so the process must
// end by itself: nothing the services started may outlive their close().
app.on('will-quit', () => report('quit'));
// A failed start calls app.exit: the stand-in only records it.
app.exit = (code: number) => {
  report('exit', { code, errorBoxes: recorded.errorBoxes });
  process.exit(code);
};

// startDesktopApp's last step is listening for the last window to close: then it has started.
app.on('newListener', (event: string | symbol) => {
  if (event === 'window-all-closed') setImmediate(() => void drive().catch((error: unknown) => report('failed', { error: String(error) })));
});

async function drive() {
  const window = recorded.windows[0]!;
  const contents = window.webContents;
  report('window created', {
    windows: recorded.windows.length,
    webPreferences: window.options.webPreferences,
    loadedUrl: contents.loadedUrl,
    schemes: recorded.schemes,
    protocolHandlers: [...recorded.protocolHandlers.keys()],
    ipcHandlers: [...recorded.handlers.keys()],
  });

  // As the page's own main frame calls main, and as a frame of another origin would.
  const call = (name: string, input: unknown, frame: unknown = contents.mainFrame) => recorded.handlers.get(name)!({ sender: contents, senderFrame: frame }, input);
  const appInfo = await call('app.info', undefined);
  // Check connection, pressed while the channel's sync is still logging in: it tries the SMTP
  // server, and must not open a second IMAP connection beside the first (none may outlive quit).
  const channelsCheck = await call('channels.check', { id: 'support' });
  // The channel's sync logs in to its server at start: asked until it is in, or for 10 s.
  let channels: unknown;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    channels = await call('channels.list', undefined);
    if ((channels as { value?: Array<{ state: { kind: string } }> }).value?.every((c) => c.state.kind === 'idle')) break;
  }
  const foreign = await call('channels.list', undefined, { ...contents.mainFrame, url: 'https://evil.example/' });
  report('ipc', { appInfo, channelsCheck, channels, foreign });

  const serve = async (url: string) => {
    const response = await recorded.protocolHandlers.get('postdesk')!(new Request(url));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };
  report('renderer', { index: await serve('postdesk://app/index.html'), missing: await serve('postdesk://app/missing.js') });

  // What Electron does when the operator closes the window.
  app.emit('window-all-closed');
}
