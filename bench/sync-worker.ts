// Our side of the ingest benchmarks: Postdesk's own services, started on an empty data dir,
// run the first sync of the channel's mailbox; prints elapsed time, memory and the bytes the
// data dir holds once the sync is done, as JSON.
import { diskUsage, firstSync, openBenchServices, readStdinJson } from './support';

const input = await readStdinJson<{ configFile: string; dataDir: string; expected: number }>();
const services = await openBenchServices(input.configFile, input.dataDir);
const { messageIds, ...sync } = await firstSync(services, input.expected);
// Counted while the services are still open, as the operator's disk holds it while the app
// runs: postdesk.sqlite with its -wal and -shm as they are (closing would checkpoint the WAL
// away), and blobs/ (each raw message and, today, each decoded attachment, by content hash,
// plus blobs/tmp, which a finished sync leaves empty).
const dataBytes = diskUsage(input.dataDir);
await services.close();
console.log(JSON.stringify({ ...sync, stored: messageIds.length, dataBytes }));
