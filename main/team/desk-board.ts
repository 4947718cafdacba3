// Who is at which desk, and what each desk is replying to: a small message per desk in the
// channel's "Postdesk" folder (its heartbeat), replaced every half minute and whenever the desk
// claims or lets go of a conversation. Every desk keeps a connection in IDLE on the folder and
// reads all heartbeats again when one is added or removed. A desk whose heartbeat is older than
// the stale limit has gone quiet (closed without saying so, crashed, lost its network): its
// claims are shown as stale and may be taken over without asking.
//
// Each live desk also holds one of the few desk slots (keywords.ts) and says so in its
// heartbeat: the first slot no other live desk holds, the one it held before if it can, and on a
// tie (two desks starting at once) the desk with the smaller id keeps it.
//
// The folder is written by the team's own desks, but it is still input: a heartbeat is read only
// when it is small and its JSON fits the schema; anything else is skipped.
import { randomUUID } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { z } from 'zod';
import type { ChannelState } from '../../common/domain/channel';
import type { ChannelConfig } from '../config/schema';
import { MailboxConnection, type Backoff } from '../mail/mailbox-connection';
import { fetchEach } from '../mail/uid-ranges';
import { DESK_SLOTS } from './keywords';

export const DESKS_FOLDER = 'Postdesk';
/** Larger messages in the folder are not heartbeats. */
const MAX_HEARTBEAT = 64 * 1024;

const claimSchema = z.object({
  uid: z.number().int().positive(),
  uidValidity: z.string().max(20),
  /** When the desk took the claim (its own clock): the later of two claims on one message stands. */
  since: z.number().int().nonnegative(),
  /** The desk slot the claim carries on the message (the desk's slot may have changed since); absent from older desks. */
  slot: z.number().int().min(0).max(DESK_SLOTS - 1).optional(),
});
const heartbeatSchema = z.object({
  desk: z.string().regex(/^[0-9a-f-]{36}$/),
  operator: z.string().min(1).max(100),
  /** When the desk wrote it (its own clock). */
  at: z.number().int().nonnegative(),
  /** The desk's slot (keywords.ts); null while it has none. */
  slot: z.number().int().min(0).max(DESK_SLOTS - 1).nullable(),
  claims: z.array(claimSchema).max(1000),
});

export type Heartbeat = z.output<typeof heartbeatSchema>;
export type DeskClaim = z.output<typeof claimSchema>;

export interface DeskBoardOptions {
  deskId: string;
  operator: string;
  /** How often the heartbeat is replaced. */
  heartbeatMs: number;
  /** A desk heard of less recently than this is not live: its slot is free. */
  staleMs: number;
  /** The slot this desk held last time, kept over restarts (its claims then still carry it). */
  slot: { saved: number | null; save(slot: number): void };
  setState(state: ChannelState): void;
  /** The other desks' heartbeats were read again (a claim may have gone stale), or time passed. */
  onChange(): void;
  backoff?: Backoff;
  now?: () => number;
}

export class DeskBoard {
  private readonly connection: MailboxConnection;
  private readonly now: () => number;
  private claims: DeskClaim[] = [];
  private others = new Map<string, Heartbeat>();
  private mySlot: number | null = null;
  /** Claims this desk's heartbeats from before this start listed (it was killed, or lost its network, holding them). */
  private inherited = new Set<string>();
  private readonly startedAt: number;
  /** UIDs of this desk's own heartbeats in the folder: all but the newest are removed. */
  private ownUids = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private readAgain = false;
  private reading = false;
  private lastRead: number | null = null;

  constructor(
    channel: ChannelConfig,
    private readonly options: DeskBoardOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.connection = new MailboxConnection(channel, {
      mailbox: DESKS_FOLDER,
      create: true,
      setState: options.setState,
      backoff: options.backoff,
      onOpen: () => {
        options.setState({ kind: 'idle' });
        void this.publish();
        this.read();
      },
      onChange: () => this.read(),
    });
  }

  get live(): boolean {
    return this.connection.client !== null;
  }

  /**
   * When the heartbeats last read were read (the read began then; null before the first): how
   * long another desk has been quiet is known as of then, not as of now. A desk whose own reads
   * stop or lag (its connection to the folder is down, the machine is busy) would otherwise see
   * live desks go quiet, and take over their claims.
   */
  get readAt(): number | null {
    return this.lastRead;
  }

  /** This desk's slot, once it has read the other desks' heartbeats; null before (or when all slots are held). */
  get slot(): number | null {
    return this.mySlot;
  }

  /** Whether this desk held a claim on `uid` when it last ran (its old heartbeat says so). */
  heldBefore(uid: number, uidValidity: string): boolean {
    return this.inherited.has(`${uidValidity}:${uid}`);
  }

  start(): void {
    this.connection.start();
    this.timer = setInterval(() => {
      void this.publish();
      this.options.onChange(); // the claims are looked at again (a wanted one may be free by now)
    }, this.options.heartbeatMs);
    this.timer.unref();
  }

  /** A clean stop takes this desk's heartbeat away: its claims end with it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.claims = [];
    const client = this.connection.client;
    if (client) await this.queue(() => this.removeOwn(client, null)).catch(() => undefined);
    await this.connection.stop();
  }

  /** This desk's claims, published at once. Resolves when the heartbeat is on the server (or could not be written). */
  setClaims(claims: DeskClaim[]): Promise<void> {
    this.claims = claims;
    return this.publish();
  }

  /** The other desks' latest heartbeats. */
  heartbeats(): Heartbeat[] {
    return [...this.others.values()];
  }

  private publish(): Promise<void> {
    return this.queue(async () => {
      const client = this.connection.client;
      if (!client) return;
      const heartbeat: Heartbeat = { desk: this.options.deskId, operator: this.options.operator, at: this.now(), slot: this.mySlot, claims: this.claims };
      const appended = await client.append(DESKS_FOLDER, heartbeatMessage(heartbeat), ['\\Seen']);
      if (appended && appended.uid) await this.removeOwn(client, appended.uid);
    }).catch((error: unknown) => this.connection.drop(error));
  }

  /** Removes this desk's heartbeats but `keep`. */
  private async removeOwn(client: ImapFlow, keep: number | null): Promise<void> {
    const old = [...this.ownUids].filter((uid) => uid !== keep);
    this.ownUids = new Set(keep === null ? [] : [keep]);
    if (old.length > 0) await client.messageDelete(old.join(','), { uid: true });
  }

  /** Reads every heartbeat again; a change while reading is read once more after. */
  private read(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.queue(async () => {
      do {
        this.readAgain = false;
        const client = this.connection.client;
        if (!client) return;
        const started = this.now();
        await this.readAll(client);
        this.lastRead = started;
        this.connection.progress();
        if (this.pickSlot()) void this.publish();
      } while (this.readAgain);
    })
      .catch((error: unknown) => this.connection.drop(error))
      .finally(() => {
        this.reading = false;
        this.options.onChange();
      });
  }

  private async readAll(client: ImapFlow): Promise<void> {
    const others = new Map<string, Heartbeat>();
    if (client.mailbox && client.mailbox.exists > 0) {
      const small: number[] = [];
      for await (const m of fetchEach(client, ['1:*'], { uid: true, size: true }, { uid: true })) if (m.size !== undefined && m.size <= MAX_HEARTBEAT) small.push(m.uid);
      if (small.length > 0) {
        for await (const m of client.fetch(small.join(','), { uid: true, source: true }, { uid: true })) {
          const heartbeat = m.source ? readHeartbeat(m.source) : null;
          if (!heartbeat) continue;
          if (heartbeat.desk === this.options.deskId) {
            this.ownUids.add(m.uid);
            if (heartbeat.at < this.startedAt) for (const c of heartbeat.claims) this.inherited.add(`${c.uidValidity}:${c.uid}`);
            continue;
          }
          const known = others.get(heartbeat.desk);
          if (!known || known.at < heartbeat.at) others.set(heartbeat.desk, heartbeat);
        }
      }
    }
    this.others = others;
  }

  /** Takes a slot no other live desk holds (keeping its own when it can); true when it changed. */
  private pickSlot(): boolean {
    const live = [...this.others.values()].filter((h) => this.now() - h.at <= this.options.staleMs && h.slot !== null);
    const taken = (slot: number) => live.some((h) => h.slot === slot && h.desk < this.options.deskId);
    const held = (slot: number) => live.some((h) => h.slot === slot);
    // Where two desks start at once, their first choices differ unless their ids happen to.
    const current = this.mySlot ?? this.options.slot.saved ?? Number.parseInt(this.options.deskId.slice(0, 8), 16) % DESK_SLOTS;
    let next: number | null = current !== null && !taken(current) ? current : null;
    for (let slot = 0; next === null && slot < DESK_SLOTS; slot++) if (!held(slot)) next = slot;
    if (next === this.mySlot) return false;
    this.mySlot = next;
    if (next !== null) this.options.slot.save(next);
    return true;
  }

  /** One command sequence at a time on the connection (imapflow would interleave our reads and writes). */
  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.work.then(step);
    this.work = next.catch(() => undefined);
    return next;
  }
}

function heartbeatMessage(heartbeat: Heartbeat): Buffer {
  // ASCII only, so the body needs no transfer encoding: names are \u-escaped by JSON.
  const json = JSON.stringify(heartbeat).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(
    [
      `Message-ID: <${randomUUID()}@postdesk.invalid>`,
      `Date: ${new Date(heartbeat.at).toUTCString()}`,
      'Subject: Postdesk desk',
      'MIME-Version: 1.0',
      'Content-Type: application/json; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      '',
      json,
      '',
    ].join('\r\n'),
    'ascii',
  );
}

/** A heartbeat from its raw message, or null when it is not one. */
export function readHeartbeat(raw: Buffer): Heartbeat | null {
  const text = raw.toString('utf8');
  const blank = text.search(/\r?\n\r?\n/);
  if (blank === -1) return null;
  try {
    const parsed = heartbeatSchema.safeParse(JSON.parse(text.slice(blank).trim()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
