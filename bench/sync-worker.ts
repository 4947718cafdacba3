// Our side of the ingest benchmarks: Postdesk's own services, started on an empty data dir,
// run the first sync of the channel's mailbox; prints elapsed time and memory as JSON.
import { MB, openBenchServices, readStdinJson, round, rssSampler } from './support';

const input = await readStdinJson<{ configFile: string; dataDir: string; expected: number }>();
const services = await openBenchServices(input.configFile, input.dataDir);
let stored = 0;
const done = new Promise<void>((resolve, reject) => {
  services.events.subscribe((event, payload) => {
    if (event === 'mail.received') stored++;
    if (event === 'channels.state') {
      const { state } = payload as { state: { kind: string; reason?: string } };
      if (state.kind === 'idle' && stored >= input.expected) resolve();
      if (state.kind === 'error') reject(new Error(state.reason));
    }
  });
});

const memory = rssSampler();
const started = process.hrtime.bigint();
services.mail.start();
await done;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
memory.stop();
await services.close();
console.log(
  JSON.stringify({
    seconds: round(seconds, 3),
    stored,
    baselineRssMb: round(memory.baseline / MB, 1),
    peakRssMb: round(memory.peak() / MB, 1),
  }),
);
