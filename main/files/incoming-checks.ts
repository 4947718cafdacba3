// Checks the files clients send, after their message is stored: whether each is what its name
// says (the same content checks as the composer's, common/attachment-policy.ts contentProblem)
// and what the virus scanner says. It runs beside ingest, not inside it: after 'mail.received'
// once the mail has paused for a moment (a first sync of thousands of messages is not slowed by
// checking each as it lands: measured, a third of its time), once at start for files not checked
// yet (or not scanned while the scanner was away), and on demand before a file is saved or
// served, so no file leaves unchecked. The verdict is stored with the attachment;
// 'attachments.checked' tells the page.
import { contentProblem } from '../../common/attachment-policy';
import type { AttachmentCheck } from '../../common/domain/attachment';
import type { EventBus } from '../events';
import type { AttachmentRecord, AttachmentsRepo } from '../store/attachments-repo';
import type { BlobStore } from './blob-store';
import { inspectBytes } from './content-inspector';
import type { VirusScanner } from './virus-scanner';
import { stderrLogger } from '../log/logger';

/** Received messages are checked once no new one came for this long... */
const QUIET_MS = 250;
/** ...or this long after the first of them, whichever comes first. */
const MAX_WAIT_MS = 30_000;

export interface IncomingChecksDeps {
  attachments: AttachmentsRepo;
  /** The conversation of a message, for the event; undefined when the message is gone. */
  conversationOf(messageId: number): number | undefined;
  blobs: BlobStore;
  events: EventBus;
  scanner: VirusScanner;
  now?: () => number;
  log?: (message: string, error: unknown) => void;
}

export class IncomingChecks {
  /** One check at a time: a compound file is read whole, and clamd takes one stream per connection anyway. */
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private scannerAway = false;
  private stopped = false;
  /** Received messages waiting for a quiet moment, and when the first of them came. */
  private readonly waiting = new Set<number>();
  private firstWaiting = 0;
  private quietTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly log: (message: string, error: unknown) => void;

  constructor(private readonly deps: IncomingChecksDeps) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? stderrLogger.warn;
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((event, payload) => {
      if (event === 'mail.received') this.checkSoon((payload as { messageId: number }).messageId);
    });
    void this.checkPending();
  }

  /** Waits for the checks under way; none starts after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    await this.queue;
  }

  /** A received message, checked at the next quiet moment (see QUIET_MS). */
  private checkSoon(messageId: number): void {
    if (this.waiting.size === 0) this.firstWaiting = Date.now();
    this.waiting.add(messageId);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.firstWaiting + MAX_WAIT_MS - Date.now()));
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      const ids = [...this.waiting];
      this.waiting.clear();
      for (const id of ids) void this.checkMessage(id);
    }, wait);
    // Left at exit, they are checked at the next start (checkPending).
    this.quietTimer.unref();
  }

  /** Every received message with files to check (never checked, not scanned, or scanned by nobody). */
  checkPending(): Promise<void> {
    return this.enqueue(async () => {
      for (const messageId of this.deps.attachments.messagesToCheck(this.deps.scanner.enabled)) await this.run(messageId);
    });
  }

  checkMessage(messageId: number): Promise<void> {
    return this.enqueue(() => this.run(messageId));
  }

  /**
   * The files as they are after their check, done first where it is due: what save and the
   * file routes judge by, so a file saved a moment after its mail arrived is checked too.
   * `rescan: false` (serving a thumbnail) checks only files never checked: an unreachable
   * scanner is not asked again for every image the page shows.
   */
  async ensure(records: AttachmentRecord[], { rescan = true }: { rescan?: boolean } = {}): Promise<AttachmentRecord[]> {
    const isDue = rescan ? (a: AttachmentRecord) => this.isDue(a) : (a: AttachmentRecord) => a.incoming && a.check === null;
    const due = new Set(records.filter(isDue).map((r) => r.messageId));
    // Not behind the queue (the pass at start may be long): checking a file twice at once only
    // stores the same verdict twice.
    for (const messageId of due) await this.run(messageId, isDue);
    return due.size === 0 ? records : records.map((r) => this.deps.attachments.get(r.id) ?? r);
  }

  private isDue(a: AttachmentRecord): boolean {
    if (!a.incoming) return false;
    const status = a.check?.scan.status;
    return status === undefined || status === 'not_scanned' || (status === 'off' && this.deps.scanner.enabled);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(() => (this.stopped ? undefined : work())).catch((error: unknown) => this.log('checking received files failed', error));
    this.queue = next;
    return next;
  }

  private async run(messageId: number, isDue = (a: AttachmentRecord) => this.isDue(a)): Promise<void> {
    let checked = 0;
    for (const attachment of this.deps.attachments.listForMessage(messageId)) {
      if (!isDue(attachment)) continue;
      const check = await this.check(attachment);
      if (!check) continue;
      this.deps.attachments.saveCheck(attachment.id, check, this.now());
      checked++;
    }
    const conversationId = this.deps.conversationOf(messageId);
    if (checked > 0 && conversationId !== undefined) this.deps.events.emit('attachments.checked', { conversationId, messageId });
  }

  private async check(attachment: AttachmentRecord): Promise<AttachmentCheck | null> {
    const { blobs, scanner } = this.deps;
    try {
      const warning = contentProblem(attachment.fileName, await inspectBytes(await blobs.reader(attachment.blobKey)));
      const scan = await scanner.scan(() => blobs.open(attachment.blobKey));
      this.noteScanner(scan.status === 'not_scanned');
      return { warning, scan };
    } catch (error) {
      // The stored bytes are unreadable: left unchecked, so the next start tries again.
      this.log(`checking the received file ${attachment.id} failed`, error);
      return null;
    }
  }

  /** When the scanner answers again after being away, what it missed meanwhile is scanned now. */
  private noteScanner(away: boolean): void {
    if (this.scannerAway && !away) void this.checkPending();
    this.scannerAway = away;
  }
}
