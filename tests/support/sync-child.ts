// A desk's mail sync in a process of its own, for tests that kill it at any moment
// (tests/integration/sync-kill.test.ts). Run as `node sync-child.mjs CONFIG DATA_DIR` once
// bundled (sync-child-process.ts): Postdesk's services on that config and data dir, the
// channels' IMAP sync started as the app starts it. It says what the sync does, a line each:
// `connecting`, `syncing DONE/TOTAL`, `idle`, `error REASON`. When its stdin ends it closes the
// services and exits, so it never outlives the test that started it.
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import type { ChannelState, EventPayload } from '../../preload/contract';

const [configFile, dataDir] = process.argv.slice(2);
if (!configFile || !dataDir) {
  console.error('usage: node sync-child.mjs CONFIG DATA_DIR');
  process.exit(2);
}

function lineOf(state: ChannelState): string {
  if (state.kind === 'syncing') return `syncing ${state.done}/${state.total}`;
  if (state.kind === 'error') return `error ${JSON.stringify(state.reason)}`;
  return state.kind;
}

const services = await openServices({
  config: loadConfig(configFile).config,
  dataDir,
  lang: 'en',
  version: 'sync-child',
  // Only the INBOX sync (as bench/sync-worker.ts runs it): no team engine, no outbox.
  startMail: false,
  syncBackoff: { firstMs: 100, maxMs: 400 },
});
services.events.subscribe((event, payload) => {
  if (event === 'channels.state') console.log(lineOf((payload as EventPayload<'channels.state'>).state));
});
services.mail.start();

process.stdin.on('end', () => {
  void services.close().then(() => process.exit(0));
});
process.stdin.resume();
