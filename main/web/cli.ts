// `npm run web`: the browser host. Prints exactly one "Postdesk running at <url>" line on
// success, then one "Link for another browser: <url>" line for each line read on stdin (each
// link opens the page once); a refused config or bad option is printed to stderr with a
// non-zero exit.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseCliArgs, UsageError } from '../config/cli-args';
import { ConfigError } from '../config/load';
import { nodePaths, openWithSystem } from '../host/node';
import { createHandlers } from '../ipc/handlers';
import { openServices } from '../services';
import { resolveStartup } from '../startup';
import { VERSION } from '../version';
import { openThroughFile, type LaunchFile } from './browser-launch';
import { startWebHost } from './server';

const STATIC_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

function osLocale(): string | undefined {
  return process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale;
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.dialogAnswers !== undefined) {
    throw new UsageError('--dialog-answers answers the desktop app\'s native dialogs; the browser host has none (its page picks and downloads files; tests use --save-dir)');
  }
  const startup = resolveStartup(options, nodePaths(), osLocale());
  const saveDir = options.saveDir;
  const services = await openServices({
    ...startup,
    version: VERSION,
    // The page downloads files itself; only the test-only --save-dir lets main write a folder.
    saveDialogs: saveDir ? { chooseFolder: async () => saveDir } : {},
    // Test-only (README, Test-only switches): the desk dies the moment a send is accepted,
    // before its Sent-folder copy is appended, as a killed or crashed desk would.
    afterSentAccepted: process.env.POSTDESK_TEST_KILL_AFTER_SEND === '1' ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  });
  const host = await startWebHost({
    table: createHandlers(services),
    log: services.log,
    events: services.events,
    files: {
      exporter: services.exporter,
      attachments: services.attachments,
      messages: services.messages,
      blobs: services.blobs,
      checks: services.checks,
      remoteImages: services.remoteImages,
      clientNameOf: (id) => services.conversations.clientName(id),
    },
    upload: (draftId, fileName, body) => services.drafts.attachStream(draftId, fileName, body),
    oversized: (draftId, fileName, size) => services.drafts.attachOversized(draftId, fileName, size),
    maxUploadBytes: services.config.attachments.maxFileSize,
    lang: services.lang,
    staticDir: STATIC_DIR,
    port: options.port,
  });
  const first = host.newLink();
  console.log(`Postdesk running at ${first.url}`);
  console.log('Press Enter here for a link for another browser: each link opens Postdesk once.');
  let launch: LaunchFile | undefined;
  if (options.open) {
    try {
      launch = openThroughFile(first, openWithSystem);
    } catch (error) {
      console.error(`[postdesk] could not open the browser (open the link above instead): ${(error as Error).message}`);
    }
  }
  // Only whoever holds this terminal (or the pipe that started us) can ask for another link.
  createInterface({ input: process.stdin }).on('line', () => console.log(`Link for another browser: ${host.newLink().url}`));

  const stop = () => {
    launch?.remove();
    void host
      .close()
      .then(() => services.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
