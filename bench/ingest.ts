// npm run bench -- ingest: a private Dovecot holding BENCH_MESSAGES messages (200), each with one
// attachment of BENCH_MESSAGE_KB (1024); Postdesk's first sync into an empty data dir against
// mbsync pulling the same mailbox into an empty maildir, BENCH_RUNS times each (3). It answers
// what a first sync costs against the plainest copy of a mailbox: its time (median against
// median, and per message), our peak memory, and the room our copy takes on disk against the
// maildir's. Many small messages (BENCH_MESSAGES=2000 BENCH_MESSAGE_KB=100) show the cost per message.
import { fillInbox, mailboxFixture, syncSideBySide } from './mail-fixture';
import { benchRuns, envCount, MB, median, report, requireTool, round, targets } from './support';

const COUNT = envCount('BENCH_MESSAGES', 200);
const MESSAGE_KB = envCount('BENCH_MESSAGE_KB', 1024);

export async function benchIngest(): Promise<void> {
  requireTool('mbsync', 'isync');
  const runs = benchRuns(3);
  const fixture = await mailboxFixture();
  try {
    const filling = process.hrtime.bigint();
    await fillInbox(fixture.dovecot, COUNT, MESSAGE_KB * 1024);
    const fillSeconds = Number(process.hrtime.bigint() - filling) / 1e9;

    const { ours, peer } = await syncSideBySide(fixture, COUNT, runs);
    const oursSeconds = median(ours.map((run) => run.seconds));
    const peerSeconds = median(peer.map((run) => run.seconds));
    // Every run stores the same mailbox, so the sizes barely differ; the medians are compared.
    const oursBytes = median(ours.map((run) => run.dataBytes));
    const peerBytes = median(peer.map((run) => run.bytes));
    const measured = {
      ratio: round(oursSeconds / peerSeconds),
      disk_ratio: round(oursBytes / peerBytes, 3),
      // The highest of our runs' peaks, not their median: what the machine must have to spare.
      peak_rss_mb: Math.max(...ours.map((run) => run.peakRssMb)),
    };
    report({
      bench: 'ingest',
      messages: COUNT,
      message_kb: MESSAGE_KB,
      runs,
      fill_s: round(fillSeconds, 1),
      ours_s: round(oursSeconds, 3),
      ours_process_s: round(median(ours.map((run) => run.wallSeconds)), 3),
      peer: 'mbsync',
      peer_s: round(peerSeconds, 3),
      ours_ms_per_message: round((oursSeconds * 1000) / COUNT),
      peer_ms_per_message: round((peerSeconds * 1000) / COUNT),
      ours_disk_mb: round(oursBytes / MB, 1),
      peer_disk_mb: round(peerBytes / MB, 1),
      ...measured,
      // The main thread (page, IPC) during the sync: the worst hold of its event loop over our runs.
      event_loop_delay_max_ms: Math.max(...ours.map((run) => run.loopDelayMaxMs)),
      event_loop_delay_p99_ms: Math.max(...ours.map((run) => run.loopDelayP99Ms)),
      ours_runs: ours.map((run) => run.seconds),
      peer_runs: peer.map((run) => round(run.seconds, 3)),
      ...targets({ ratio: 0.8, disk_ratio: 1.05, peak_rss_mb: 150 }, measured),
    });
  } finally {
    await fixture.stop();
  }
}
