// npm run bench -- bigmail: one message with a 100 MB attachment; how much Postdesk's RSS grows
// while its first sync stores it (attachments are streamed, never held whole), and its time
// against mbsync pulling the same message, BENCH_RUNS times each (3: a run of both sides took
// 5–10 s here and the whole bench under 40 s, so the 100 MB case keeps the usual three).
import { mailboxWithFile, syncSideBySide } from './mail-fixture';
import { benchRuns, MB, median, report, requireTool, round, targets } from './support';

const SIZE = 100 * MB;

export async function benchBigmail(): Promise<void> {
  requireTool('mbsync', 'isync');
  const runs = benchRuns(3);
  const fixture = await mailboxWithFile(SIZE);
  try {
    const { ours, peer } = await syncSideBySide(fixture, 1, runs);
    const oursSeconds = median(ours.map((run) => run.seconds));
    const peerSeconds = median(peer.map((run) => run.seconds));
    const growths = ours.map((run) => round(run.peakRssMb - run.baselineRssMb, 1));
    // The largest growth of the runs, not their median: memory must be there for the worst one.
    const measured = { rss_growth_mb: Math.max(...growths) };
    report({
      bench: 'bigmail',
      attachment_mb: SIZE / MB,
      runs,
      ours_s: round(oursSeconds, 3),
      peer: 'mbsync',
      peer_s: round(peerSeconds, 3),
      ratio: round(oursSeconds / peerSeconds),
      baseline_rss_mb: median(ours.map((run) => run.baselineRssMb)),
      peak_rss_mb: Math.max(...ours.map((run) => run.peakRssMb)),
      ...measured,
      ours_runs: ours.map((run) => run.seconds),
      peer_runs: peer.map((run) => round(run.seconds, 3)),
      rss_growth_runs: growths,
      ...targets({ rss_growth_mb: 40 }, measured),
    });
  } finally {
    await fixture.stop();
  }
}
