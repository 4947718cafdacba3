// Our side of the team benchmark: two desks, Alice's and Bob's — Postdesk's own services, each
// on its own data dir — on one mailbox. Alice answers the client's conversation N times, one
// answer at a time; each is timed from her outbox's "sent" (the SMTP server accepted it) to
// Bob's desk filing it from the Sent folder (mail.received, direction "out").
//
// Both desks live in this one process. They share nothing but the mail server (each has its own
// database, blob store, event bus and IMAP connections), and one process gives both ends of the
// interval one clock. They hardly compete for it: Alice's part of an answer (her SEARCH and
// APPEND, and her own Sent watcher reading the copy, which she is told of in the APPEND's reply)
// is over about half a second before Dovecot pushes the change to Bob's watcher. Two processes
// would need a channel between them to say "send the next one" and to compare two clocks, for
// the few milliseconds that overlap (in a quiet run ours comes within ~15 ms of the bare client).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Services } from '../main/services';
import type { EventName, EventPayload } from '../preload/contract';
import { openBenchServices, readStdinJson, round, within } from './support';

interface Input {
  desks: Array<{ configFile: string; dataDir: string }>;
  channelId: string;
  answers: number;
}

/** How long one step may take before the run is given up (a lost answer, not a slow one). */
const STEP_MS = 15_000;
/** Quiet time after an answer arrived, so both desks' connections are back in IDLE before the next. */
const PAUSE_MS = 500;

/** The next `event` on the desk that `matches`, and when it came; subscribe before causing it. */
function next<E extends EventName>(desk: Services, event: E, matches: (payload: EventPayload<E>) => boolean): Promise<{ payload: EventPayload<E>; at: number }> {
  return new Promise((resolve, reject) => {
    const stop = desk.events.subscribe((name: EventName, payload: unknown) => {
      if (name === 'outbox.status' && (payload as EventPayload<'outbox.status'>).status === 'failed') {
        stop();
        reject(new Error(`sending failed: ${(payload as EventPayload<'outbox.status'>).error}`));
        return;
      }
      if (name !== event || !matches(payload as EventPayload<E>)) return;
      stop();
      resolve({ payload: payload as EventPayload<E>, at: performance.now() });
    });
  });
}

/** Every connection of the desk quiet: the Sent copies appended, the Sent folder read. */
async function settled(desk: Services, channelId: string): Promise<void> {
  await desk.sentCopies.settled();
  await desk.team.sentSync(channelId)?.settled();
  await desk.mail.sync(channelId)?.settled();
}

/** Polls `ready` until it holds. */
async function until(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + STEP_MS;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const input = await readStdinJson<Input>();
const { channelId } = input;
// Each desk starts its sync as it opens: its first e-mail is listened for before anything else can run.
const opening = input.desks.map((d) =>
  openBenchServices(d.configFile, d.dataDir, { startMail: true }).then((desk) => ({ desk, incoming: next(desk, 'mail.received', (m) => m.direction === 'in') })),
);
const [alice, bob] = (await Promise.all(opening)).map((o) => o.desk) as [Services, Services];
try {
  // Both desks have the client's e-mail (delivered before they started) and their Sent watchers open and read.
  const [onAlice, onBob] = await Promise.all(opening.map(async (o) => (await within((await o).incoming, STEP_MS, "the client's e-mail")).payload.conversationId));
  for (const desk of [alice, bob]) {
    await until(`${desk.identity.operator}'s Sent folder to open`, () => desk.team.sentFolder(channelId) !== null);
    await settled(desk, channelId);
  }
  await sleep(PAUSE_MS);

  const latenciesMs: number[] = [];
  const appendMs: number[] = [];
  for (let i = 1; i <= input.answers; i++) {
    const text = `Answer ${i} of ${input.answers}: your documents are on their way.`;
    const draft = alice.drafts.open(onAlice!);
    alice.drafts.update(draft.id, { text });
    const filedOnBob = next(bob, 'mail.received', (m) => m.direction === 'out' && (bob.messages.get(m.messageId)?.text ?? '').includes(text));
    let sentId = -1;
    const sentByAlice = next(alice, 'outbox.status', (s) => s.messageId === sentId && s.status === 'sent');
    // The outbox starts the copy's APPEND in the same tick as it reports "sent"; its end is when Alice's copies settle.
    const appended = sentByAlice.then(async () => {
      await Promise.resolve();
      await alice.sentCopies.settled();
      return performance.now();
    });
    appended.catch(() => undefined); // a failed send is reported by the wait for "sent"
    const outcome = await alice.drafts.send(draft.id, undefined, true);
    if (outcome.status !== 'queued') throw new Error(`answer ${i}: the send asked for confirmation: ${JSON.stringify(outcome)}`);
    sentId = outcome.messageId;
    const sent = await within(sentByAlice, STEP_MS, `answer ${i} to be sent`);
    const filed = await within(filedOnBob, STEP_MS, `answer ${i} on Bob's desk`);
    // What is timed is the answer shown in the client's conversation, not one filed beside it.
    if (filed.payload.conversationId !== onBob) throw new Error(`answer ${i} was filed into conversation ${filed.payload.conversationId}, not ${onBob}`);
    latenciesMs.push(round(filed.at - sent.at, 1));
    appendMs.push(round((await appended) - sent.at, 1));
    await Promise.all([settled(alice, channelId), settled(bob, channelId)]);
    await sleep(PAUSE_MS);
  }
  console.log(JSON.stringify({ latenciesMs, appendMs }));
} finally {
  await Promise.all([alice.close(), bob.close()]);
}
