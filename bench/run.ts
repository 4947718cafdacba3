// npm run bench -- <name>: each benchmark runs our code and a reference tool side by side in
// one run and prints a JSON last line. Benchmarks are measurements, never tests.
import { benchBigmail } from './bigmail';
import { benchHistory } from './history';
import { benchImport } from './import';
import { benchIngest } from './ingest';
import { benchOpenAttachment } from './open-attachment';
import { benchSearch } from './search';
import { benchSend } from './send';
import { benchTeam } from './team';
import { benchZip } from './zip';

const benches: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  send: benchSend,
  bigmail: benchBigmail,
  'open-attachment': benchOpenAttachment,
  zip: benchZip,
  history: benchHistory,
  search: benchSearch,
  import: benchImport,
  team: benchTeam,
};

const name = process.argv[2];
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await bench();
