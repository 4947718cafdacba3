// The outbox: every outgoing message is stored (status "queued") before any attempt to send it,
// so a crash, a stop or a dead server never loses one. A single worker sends one message at a
// time; failures the server may get over (network, 4xx) are retried with growing delays, the
// rest fail at once with the server's own words, and an accepted message is marked sent at once
// so that it is never sent twice.
//
// Over 300 lines: storing, the worker, retries, cancel and the Sent copy hand-off share one
// state (each message's status and attempts); composing (compose-message.ts) and the SMTP
// session (smtp-session.ts) are files of their own.
import type { Failure } from '../../common/failure';
import { translator, type Translate } from '../../common/i18n';
import type { Lang } from '../../common/lang';
import type { MessageStatus } from '../../common/domain/message';
import { quoteOf, withSignature } from '../compose/quote';
import type { ChannelConfig } from '../config/schema';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { BlobStore } from '../files/blob-store';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { MessagesRepo, OutgoingRow } from '../store/messages-repo';
import { composeToBlob, composeToFile, type ComposedFile } from './compose-message';
import { addresses, collapseRe, newMessageId, replySubject, threadTo } from './reply-threading';
import { Interrupted, judge, refusedNote, smtpSend } from './smtp-session';
import { stderrLogger } from '../log/logger';
import type { Transaction } from '../store/unit-of-work';

export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first one included; after the last one the message is "failed". */
  maxAttempts: number;
}

export interface OutboxOptions {
  messages: MessagesRepo;
  transaction: Transaction;
  conversations: Pick<ConversationsRepo, 'get' | 'recordOutgoing'>;
  blobs: BlobStore;
  events: EventBus;
  channels: readonly ChannelConfig[];
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Problems that must not change a message's status; console by default. */
  log?: (message: string, error: unknown) => void;
  /** Who is at this desk: each message records who sent it (the team sees it; the client only if showNameToClients). */
  sender: { operator: string; deskId: string; showNameToClients: boolean };
  /** Appends the waiting Sent-folder copies of a channel (main/team/sent-copies.ts). */
  sentCopies?: { flush(channelId: string): Promise<void> };
  /** What goes under every message sent through a channel (the operator's and the channel's signature). */
  signatureFor?: (channelId: string) => string;
  /** The operator's language: the quote's "On …, … wrote:" line is written in it. */
  t?: Translate;
  lang?: Lang;
  /** Told what each attempt found of the channel's SMTP server (null: it took the message). */
  onAttempt?: (channelId: string, problem: Failure | null) => void;
  /** Test-only: runs once an accepted message is recorded, before its Sent-folder copy is appended. */
  afterAccepted?: () => void;
}

export interface EnqueueInput {
  conversationId: number;
  /**
   * The one address the message goes to, as the operator saw it (the composer's To line).
   * The outbox never picks a recipient itself: a Reply-To choosing it would send the
   * documents somewhere the operator never saw.
   */
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  bcc: string[];
  attachments: Array<{ blobKey: string; fileName: string; mediaType: string; size: number }>;
  /** A reply threads to the client's latest message; otherwise it is a new message to the client. */
  reply: boolean;
}

const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 2000, maxDelayMs: 5 * 60_000, maxAttempts: 8 };
const DEFAULT_STOP_GRACE_MS = 5000;
interface InFlight {
  /** Settles (never rejects) once the attempt's outcome is stored. */
  done: Promise<void>;
  /** Aborts the attempt if that is still safe; see smtpSend. */
  abort(): void;
}

export class Outbox {
  private readonly messages: MessagesRepo;
  private readonly retryPolicy: RetryPolicy;
  private readonly now: () => number;
  private readonly log: (message: string, error: unknown) => void;
  /** Message id → the earliest time of its next attempt. */
  private readonly due = new Map<number, number>();
  private readonly attempts = new Map<number, number>();
  private stopped = true;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: InFlight | undefined;

  constructor(private readonly options: OutboxOptions) {
    this.messages = options.messages;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.log = options.log ?? stderrLogger.warn;
  }

  /** Stores and announces the message: for a caller with nothing else to commit with it. */
  enqueue(input: EnqueueInput): number {
    const id = this.store(input);
    this.announce(input.conversationId, id);
    return id;
  }

  /**
   * Stores the message (queued), inside the caller's transaction when there is one; nothing is
   * told or scheduled until the caller has committed and calls announce.
   */
  store(input: EnqueueInput): number {
    const target = this.options.conversations.get(input.conversationId);
    if (!target) throw new AppError('not_found', `There is no conversation ${input.conversationId}.`);
    const channel = this.channel(target.channelId);
    if (!channel) throw new AppError('not_found', `The channel "${target.channelId}" is not configured.`);
    const anchor = input.reply ? this.messages.lastIncoming(input.conversationId) : undefined;

    const recipients = addresses(input.to);
    if (recipients.length === 0) throw new AppError('invalid_input', 'The client has no e-mail address to write to.');
    if (recipients.length > 1) throw new AppError('invalid_input', `A message goes to one address, not to ${input.to}.`);
    const toAddress = recipients[0]!;
    const threading = anchor ? threadTo(anchor) : { inReplyTo: null, references: [] };
    const subject = input.subject.trim() ? collapseRe(input.subject) : anchor ? replySubject(anchor.subject) : '';

    const createdAt = this.now();
    const { operator, deskId, showNameToClients } = this.options.sender;
    const id = this.options.transaction(() => {
      this.options.conversations.recordOutgoing(input.conversationId, createdAt);
      return this.messages.insertOutgoing({
        conversationId: input.conversationId,
        kind: input.reply ? 'reply' : 'new',
        fromAddress: channel.address,
        // What the client sees as the sender: the channel, or the operator of the channel when the administrator wants.
        fromName: showNameToClients ? `${operator} (${channel.name})` : channel.name,
        operatorName: operator,
        operatorDesk: deskId,
        toAddress,
        bcc: input.bcc,
        subject,
        // The signature is part of what the client reads, and of what the history shows as sent.
        text: withSignature(input.text, this.options.signatureFor?.(channel.id) ?? null),
        html: input.html ?? null,
        quote: anchor ? quoteOf(anchor, this.options.t ?? translator('en'), this.options.lang ?? 'en') : null,
        messageId: newMessageId(channel.address),
        ...threading,
        attachments: input.attachments.map((a) => ({ ...a, contentId: null, inline: false })),
        createdAt,
      });
    });
    return id;
  }

  /** A stored message is queued: the page hears it, and the worker (if started) takes it. */
  announce(conversationId: number, messageId: number): void {
    this.emitStatus(conversationId, messageId, 'queued', null);
    this.schedule(messageId, this.now());
  }

  /** Sends a failed (or waiting) message again now, with a fresh count of attempts. */
  retry(messageId: number): void {
    const row = this.messages.outgoing(messageId);
    if (!row) throw new AppError('not_found', `There is no outgoing message ${messageId}.`);
    if (row.status === 'sent') throw new AppError('invalid_input', 'The message has already been sent.');
    if (row.status === 'sending') return;
    this.attempts.delete(messageId);
    this.setStatus(row, 'queued', null);
    this.schedule(messageId, this.now());
  }

  /**
   * Cancel send: an unsent message (failed, waiting to be tried again, or queued) is taken back:
   * its row goes and nothing of it is sent. Not while it is on its way to the server.
   */
  cancel(messageId: number): void {
    const row = this.messages.outgoing(messageId);
    if (!row) throw new AppError('not_found', `There is no outgoing message ${messageId}.`);
    if (row.status === 'sent') throw new AppError('invalid_input', 'The message has already been sent.');
    if (row.status === 'sending') throw new AppError('invalid_input', 'The message is being sent right now; wait for the outcome.');
    this.due.delete(messageId);
    this.attempts.delete(messageId);
    this.messages.deleteUnsent(messageId);
    this.options.events.emit('conversations.changed', { ids: [row.conversationId] });
  }

  /** Picks up what an earlier run left unsent (interrupted "sending" included) and starts the worker. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const id of this.messages.unsent()) {
      const row = this.messages.outgoing(id);
      if (row?.status === 'sending') this.setStatus(row, 'queued', null);
      this.due.set(id, this.now());
    }
    this.kick();
  }

  /**
   * Stops the worker. A send in flight gets `graceMs` to finish; then it is aborted if the
   * message was not yet handed over whole, and left "queued" for the next start.
   */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const inFlight = this.inFlight;
    if (!inFlight) return;
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (graceTimer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([inFlight.done.then(() => 'done' as const), grace]);
    clearTimeout(graceTimer);
    if (outcome === 'late') inFlight.abort();
    await inFlight.done;
    await this.draining;
  }

  private channel(id: string): ChannelConfig | undefined {
    return this.options.channels.find((c) => c.id === id);
  }

  private schedule(id: number, at: number): void {
    this.due.set(id, at);
    this.kick();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.kick();
      } else {
        this.armTimer();
      }
    });
  }

  private async drain(): Promise<void> {
    for (let id = this.nextDue(); id !== undefined && !this.stopped; id = this.nextDue()) {
      await this.attempt(id);
    }
  }

  private nextDue(): number | undefined {
    let best: [number, number] | undefined;
    for (const entry of this.due) if (!best || entry[1] < best[1]) best = entry;
    return best && best[1] <= this.now() ? best[0] : undefined;
  }

  private armTimer(): void {
    if (this.stopped || this.due.size === 0) return;
    const earliest = Math.min(...this.due.values());
    this.timer = setTimeout(() => this.kick(), Math.max(0, earliest - this.now()));
    // Waiting for a retry must not keep the process alive on its own.
    this.timer.unref();
  }

  /** One attempt at one message; settles without throwing, with the outcome stored. */
  private async attempt(id: number): Promise<void> {
    const row = this.messages.outgoing(id);
    if (!row || (row.status !== 'queued' && row.status !== 'sending')) {
      this.due.delete(id);
      return;
    }
    let abort = (): void => undefined;
    const done = this.send(row, (fn) => (abort = fn)).catch((error: unknown) => {
      // Only the store itself failing gets here; back off rather than spin on the same message.
      this.log(`could not process outgoing message ${id}`, error);
      this.due.set(id, this.now() + this.retryPolicy.maxDelayMs);
    });
    this.inFlight = { done, abort: () => abort() };
    await done;
    this.inFlight = undefined;
  }

  private async send(row: OutgoingRow, setAbort: (abort: () => void) => void): Promise<void> {
    const channel = this.channel(this.options.conversations.get(row.conversationId)?.channelId ?? '');
    this.setStatus(row, 'sending', null);
    let composed: ComposedFile | undefined;
    let interrupted = false;
    let accepted = false;
    setAbort(() => (interrupted = true));
    try {
      if (!channel) throw new AppError('not_found', `No channel for ${row.fromAddress} is configured any more.`);
      const date = new Date(this.messages.get(row.id)?.createdAt ?? this.now());
      // The Sent folder gets these very bytes when Postdesk files the copy: they are kept until it has.
      const copy = channel.sentMailbox !== undefined && channel.sentCopy === 'client';
      composed = await (copy ? composeToBlob : composeToFile)(row, { blobs: this.options.blobs, fromName: row.fromName ?? channel.name, date });
      if (interrupted) throw new Interrupted();
      const { size } = composed;
      const session = smtpSend(channel, {
        file: composed.file,
        size,
        envelope: { from: row.fromAddress, to: [...addresses(row.toAddress), ...row.bcc] },
        onProgress: (sent) => this.options.events.emit('outbox.progress', { messageId: row.id, sent, total: size }),
        env: this.options.env,
      });
      setAbort(() => session.abort());
      const info = await session.done;
      // Accepted: recorded before anything else can go wrong, and nothing after this may requeue it.
      accepted = true;
      this.due.delete(row.id);
      this.attempts.delete(row.id);
      const note = refusedNote(info);
      this.messages.markSent(row.id, note, this.now(), composed.blobKey);
      this.options.onAttempt?.(channel.id, null);
      this.emitStatus(row.conversationId, row.id, 'sent', note);
      this.options.afterAccepted?.();
      if (composed.blobKey) void this.options.sentCopies?.flush(channel.id);
    } catch (error) {
      if (accepted) this.log(`message ${row.id} was sent, but a later step failed`, error);
      else this.onFailure(row, error, composed?.size, channel?.id);
    } finally {
      await composed?.remove();
    }
  }

  private onFailure(row: OutgoingRow, error: unknown, size: number | undefined, channelId: string | undefined): void {
    if (error instanceof Interrupted) {
      this.setStatus(row, 'queued', null);
      return;
    }
    const { retry, reason } = judge(error, size);
    if (channelId) this.options.onAttempt?.(channelId, reason);
    const attempts = (this.attempts.get(row.id) ?? 0) + 1;
    if (retry && attempts < this.retryPolicy.maxAttempts) {
      this.attempts.set(row.id, attempts);
      const { firstDelayMs, maxDelayMs } = this.retryPolicy;
      this.due.set(row.id, this.now() + Math.min(firstDelayMs * 2 ** (attempts - 1), maxDelayMs));
      this.setStatus(row, 'queued', reason);
    } else {
      this.due.delete(row.id);
      this.attempts.delete(row.id);
      this.setStatus(row, 'failed', reason);
    }
  }

  private setStatus(row: OutgoingRow, status: MessageStatus, error: Failure | null, sentAt: number | null = null): void {
    this.messages.setStatus(row.id, status, error, sentAt);
    this.emitStatus(row.conversationId, row.id, status, error);
  }

  private emitStatus(conversationId: number, messageId: number, status: MessageStatus, error: Failure | null): void {
    this.options.events.emit('outbox.status', { conversationId, messageId, status, error });
  }
}
