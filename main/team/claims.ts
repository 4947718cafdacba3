// "Alice is replying": when an operator starts writing a reply, the desk claims the conversation
// on the server with a compare-and-set of the $PostdeskReplying keyword, with the desk's slot
// beside it, on the client's newest message (UID STORE … UNCHANGEDSINCE; the server's answer says
// which desk won, so that of desks racing for one conversation exactly one does), and lists the
// claim in its heartbeat (desk-board.ts), which says who holds it. Other
// desks show the claim and ask before sending over it; Take over replaces it. A claim ends when
// the reply is sent or emptied, or when its desk stops; a desk that goes quiet leaves a stale
// claim anyone may take.
//
// Over 300 lines: taking, keeping, moving, releasing and judging a claim stale are one protocol
// over one shared state (the server's keywords and the desks' heartbeats); split, a step would no
// longer see the cases the others guard against (the double owners fixed in issue 14 came from
// exactly such a seam). The keyword STOREs are in keywords.ts, the heartbeats in desk-board.ts.
import type { ImapFlow } from 'imapflow';
import type { ClaimView } from '../../common/domain/conversation';
import type { EventBus } from '../events';
import type { ChannelSync } from '../mail/imap-sync';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { TeamRepo } from '../store/team-repo';
import type { DeskBoard, DeskClaim, Heartbeat } from './desk-board';
import { canCompareAndSet, claimSlotOf, readFlags, REPLYING, slotKeyword, slotsOf, storeIfUnchanged } from './keywords';

export type ClaimOutcome =
  | { status: 'claimed' }
  | { status: 'held'; by: ClaimView }
  /** Nothing on the server to claim on: the conversation has no client mail in the INBOX. */
  | { status: 'unshared' }
  /** The INBOX cannot be reached now: the claim is made once it can. */
  | { status: 'offline' }
  /** The server cannot compare-and-set (no CONDSTORE): no claim is made, rather than an unsafe one. */
  | { status: 'unsupported' };

export interface ClaimsDeps {
  team: TeamRepo;
  conversations: Pick<ConversationsRepo, 'get'>;
  events: EventBus;
  deskId: string;
  syncOf(channelId: string): Pick<ChannelSync, 'client'> | undefined;
  /** The UIDVALIDITY of the channel's INBOX as last read: a claim names a UID under it. */
  uidValidityOf(channelId: string): string | null;
  boardOf(channelId: string): Pick<DeskBoard, 'heartbeats' | 'setClaims' | 'slot' | 'heldBefore' | 'readAt'> | undefined;
  /** A claim whose desk has written no heartbeat for this long is stale. */
  staleMs: number;
  now?: () => number;
}

interface OwnClaim {
  channelId: string;
  uid: number;
  uidValidity: string;
  /** The desk slot the claim carries on the message. */
  slot: number;
  since: number;
}

/** The claim's keywords on a message, as the message has them: REPLYING and every desk slot. */
function claimKeywords(flags: Set<string>): string[] {
  return [...flags].filter((f) => f.toLowerCase() === REPLYING.toLowerCase() || slotsOf(new Set([f])).length > 0);
}

function key(claim: { channelId: string; uid: number }): string {
  return `${claim.channelId}:${claim.uid}`;
}

/** A lost compare-and-set is tried again this often when only other flags (\Seen) changed. */
const MAX_TRIES = 5;

export class Claims {
  private readonly now: () => number;
  private readonly own = new Map<number, OwnClaim>();
  /** Conversations this desk's operator is writing to: claimed when the INBOX is back. */
  private readonly wanted = new Set<number>();
  /** Claims this desk let go of, by channel and UID, until their keyword is removed (the INBOX may be away). */
  private readonly releasing = new Map<string, OwnClaim>();
  /**
   * When this desk first saw a claim keyword that no heartbeat explains (the winner of a race
   * writes its heartbeat just after), by message and MODSEQ: a keyword removed and set again is
   * a new claim with a new MODSEQ, and starts its own time.
   */
  private readonly firstSeen = new Map<string, number>();
  /** What the page was last told of each claimed conversation, so a claim going stale (no keyword changes) is told too. */
  private shown = new Map<number, { channelId: string; view: string }>();
  private work: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ClaimsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The operator started (or goes on) writing a reply: claim the conversation unless another operator holds it. */
  claim(conversationId: number): Promise<ClaimOutcome> {
    this.wanted.add(conversationId);
    return this.serial(() => this.take(conversationId, false));
  }

  /** Take over: this desk's claim replaces another's, live or stale. */
  takeOver(conversationId: number): Promise<ClaimOutcome> {
    this.wanted.add(conversationId);
    return this.serial(() => this.take(conversationId, true));
  }

  /** The reply was sent, emptied or discarded: the claim ends. */
  release(conversationId: number): Promise<void> {
    this.wanted.delete(conversationId);
    return this.serial(async () => {
      const mine = this.own.get(conversationId);
      if (!mine) return;
      this.own.delete(conversationId);
      this.releasing.set(key(mine), mine);
      await this.publish(mine.channelId);
      await this.removeKeywords(mine.channelId);
    });
  }

  /** Another operator's claim on the conversation, or null (none, or this desk's own). */
  otherClaim(conversationId: number): ClaimView | null {
    const conversation = this.deps.conversations.get(conversationId);
    if (!conversation) return null;
    const views = this.deps.team
      .claimed(conversation.channelId)
      .filter((c) => c.conversationId === conversationId)
      .map((c) => this.holderOf(conversation.channelId, c.uid, conversationId, c.modseq, c.slot))
      .filter((v): v is ClaimView => v !== null);
    return views.find((v) => !v.stale) ?? views[0] ?? null;
  }

  /** The INBOX of the channel is open again: claims wanted meanwhile are made, released ones removed. */
  reconnected(channelId: string): void {
    void this.serial(async () => {
      await this.removeKeywords(channelId);
      for (const conversationId of this.wanted) {
        if (this.deps.conversations.get(conversationId)?.channelId === channelId) await this.take(conversationId, false);
      }
    });
  }

  /**
   * The desks' heartbeats or the keywords changed (or time passed): a claim of this desk's that
   * another desk took over is no longer this desk's, and the page hears of every conversation
   * whose claim it shows differently now.
   */
  changed(channelId: string): void {
    for (const [conversationId, mine] of this.own) {
      if (mine.channelId !== channelId) continue;
      // Taken over: another desk's slot is on the message now, or its heartbeat claims it later than this desk did.
      // (No claim may be a read from just before this desk's own STORE, and -1 one of two claims
      // the server took at once, which the other desk gives up: neither alone ends anything.)
      const slotNow = this.deps.team.byUid(channelId, mine.uid)?.claimSlot;
      if (this.takenFrom(mine) || (slotNow !== undefined && slotNow !== null && slotNow !== -1 && slotNow !== mine.slot)) this.own.delete(conversationId);
    }
    const claimed = this.deps.team.claimed(channelId);
    const still = new Set(claimed.map((c) => `${key({ channelId, uid: c.uid })}:`));
    for (const sighting of this.firstSeen.keys()) {
      if (sighting.startsWith(`${channelId}:`) && ![...still].some((prefix) => sighting.startsWith(prefix))) this.firstSeen.delete(sighting);
    }
    const views = new Map<number, string>();
    for (const { conversationId } of claimed) views.set(conversationId, JSON.stringify(this.otherClaim(conversationId)));
    const ids = [...views].filter(([id, view]) => (this.shown.get(id)?.view ?? 'null') !== view).map(([id]) => id);
    for (const [id, { channelId: shownIn, view }] of this.shown) {
      if (shownIn !== channelId || views.has(id)) continue;
      this.shown.delete(id);
      if (view !== 'null') ids.push(id);
    }
    for (const [id, view] of views) this.shown.set(id, { channelId, view });
    if (ids.length > 0) this.deps.events.emit('conversations.changed', { ids });
    // An operator who began writing while a colleague held the conversation claims it once they let go.
    for (const conversationId of this.wanted) {
      if (this.own.has(conversationId) || this.deps.conversations.get(conversationId)?.channelId !== channelId) continue;
      const other = this.otherClaim(conversationId);
      if (!other || other.stale) void this.serial(() => this.take(conversationId, false)).catch(() => undefined);
    }
  }

  /** A clean stop: this desk's claims end (their keywords removed; the heartbeat goes with the board). */
  async stop(): Promise<void> {
    this.wanted.clear();
    await this.serial(async () => {
      for (const mine of this.own.values()) this.releasing.set(key(mine), mine);
      this.own.clear();
      for (const channelId of new Set([...this.releasing.values()].map((c) => c.channelId))) await this.removeKeywords(channelId);
    });
  }

  private async take(conversationId: number, force: boolean): Promise<ClaimOutcome> {
    if (!this.wanted.has(conversationId)) return { status: 'offline' };
    const { team, conversations } = this.deps;
    const channelId = conversations.get(conversationId)?.channelId;
    const anchor = team.anchor(conversationId);
    if (!channelId || !anchor) return { status: 'unshared' };
    const current = this.own.get(conversationId);
    if (current && current.uid === anchor.uid && !force) return { status: 'claimed' };
    const client = this.deps.syncOf(channelId)?.client;
    const uidValidity = this.deps.uidValidityOf(channelId);
    const slot = this.deps.boardOf(channelId)?.slot ?? null;
    if (!client || uidValidity === null) return { status: 'offline' };
    // A server without CONDSTORE never will: said as soon as it is known, whether or not this desk has its slot yet.
    if (!canCompareAndSet(client)) return { status: 'unsupported' };
    if (slot === null) return { status: 'offline' };
    // The client wrote again since this desk claimed: the claim moves to the newest message.
    if (current && current.uid !== anchor.uid) this.releasing.set(key(current), current);
    const won = async (): Promise<ClaimOutcome> => {
      team.setMarks(anchor.id, { done: anchor.doneMark === 1, claimSlot: slot, modseq: null });
      const claim = { channelId, uid: anchor.uid, uidValidity, slot, since: Math.max(this.now(), this.latestClaimOn(channelId, anchor.uid) + 1) };
      this.own.set(conversationId, claim);
      this.releasing.delete(key(claim));
      await this.publish(channelId);
      return { status: 'claimed' };
    };
    // The server took this desk's STORE in this take (its answer had this desk's slot in it).
    let stored = false;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const now = await readFlags(client, anchor.uid);
      if (!now) return { status: 'unshared' };
      const held = claimSlotOf(now.flags);
      if (held === -1 && slotsOf(now.flags).length > 1) {
        // Two desks' claims the server took at once: Dovecot lets a STORE … UNCHANGEDSINCE
        // through now and then when another session's lands just before it (see keywords.ts).
        // The desk whose answer showed its slot alone has won; the others give way.
        if (!slotsOf(now.flags).includes(slot)) return this.lost(conversationId, anchor.id, held, { operator: null, stale: false });
        await storeIfUnchanged(client, anchor.uid, now.modseq, 'remove', [slotKeyword(slot)]);
        continue;
      }
      // This desk's STORE went through, and the desks beside it gave way: the server has its claim alone.
      if (stored && held === slot) return won();
      if (held !== null) {
        const holder = this.holderOf(channelId, anchor.uid, conversationId, now.modseq, held);
        if (holder && !holder.stale && !force) return this.lost(conversationId, anchor.id, held, holder);
        // Stale, taken over, or this desk's own from before (a restart, a removal that failed):
        // the claim is removed (compare-and-set), then made afresh like by anyone. Replaced in
        // place (FLAGS) or left as it is, the server's answer could not tell two desks taking it
        // at once apart: a replacement wipes the other's slot, and a STORE that changes nothing says nothing.
        await storeIfUnchanged(client, anchor.uid, now.modseq, 'remove', claimKeywords(now.flags));
        continue;
      }
      const outcome = await storeIfUnchanged(client, anchor.uid, now.modseq, 'add', [REPLYING, slotKeyword(slot)]);
      if (outcome.status === 'stored' && slotsOf(outcome.flags).includes(slot)) {
        // Won when the server answers with this desk's claim alone on the message; with another
        // desk's slot beside it, the next read settles it (above).
        if (claimSlotOf(outcome.flags) === slot) return won();
        stored = true;
      }
      // Lost a race, only another flag (\Seen) changed, or the STORE changed nothing: look again.
    }
    return { status: 'offline' };
  }

  private lost(conversationId: number, messageId: number, claimSlot: number, holder: ClaimView): ClaimOutcome {
    const anchor = this.deps.team.byId(messageId);
    if (anchor) this.deps.team.setMarks(messageId, { done: anchor.doneMark === 1, claimSlot, modseq: null });
    this.deps.events.emit('conversations.changed', { ids: [conversationId] });
    return { status: 'held', by: holder };
  }

  /**
   * Who holds the claim on `uid`, carrying desk slot `slot` (-1: none), if not this desk: the
   * other desk in that slot whose heartbeat lists it most recently; one no heartbeat explains is
   * another operator's until it has been seen that long.
   */
  private holderOf(channelId: string, uid: number, conversationId: number, modseq: bigint | null, slot: number): ClaimView | null {
    const mine = this.own.get(conversationId);
    const listing = this.listing(channelId, uid, slot);
    const inOurSlot = slot === this.deps.boardOf(channelId)?.slot;
    if (mine?.uid === uid && (!listing || listing.claim.since <= mine.since)) return null;
    if (!listing && this.releasing.has(key({ channelId, uid }))) return null;
    // This desk's own claim from before a restart (a killed desk comes back to its half-written reply).
    const uidValidity = this.deps.uidValidityOf(channelId);
    if (!listing && inOurSlot && uidValidity !== null && this.deps.boardOf(channelId)?.heldBefore(uid, uidValidity)) return null;
    // Quiet for longer than the stale limit as of the last read of the heartbeats (not as of now:
    // a desk that has not read them for a while knows nothing of the others meanwhile).
    const readAt = this.deps.boardOf(channelId)?.readAt ?? null;
    const quietSince = (at: number) => readAt !== null && readAt - at > this.deps.staleMs;
    if (listing) return { operator: listing.heartbeat.operator, stale: quietSince(listing.heartbeat.at) };
    const sighting = `${key({ channelId, uid })}:${modseq ?? '?'}`;
    const seen = this.firstSeen.get(sighting) ?? this.now();
    this.firstSeen.set(sighting, seen);
    return { operator: null, stale: quietSince(seen) };
  }

  /**
   * The other desk's heartbeat that claims `uid` most recently; with `slot` (not -1), a claim in
   * that slot only: a heartbeat of a desk long gone that claimed the message once does not
   * explain the claim another desk has just put on it.
   */
  private listing(channelId: string, uid: number, slot = -1): { heartbeat: Heartbeat; claim: DeskClaim } | null {
    let best: { heartbeat: Heartbeat; claim: DeskClaim } | null = null;
    const uidValidity = this.deps.uidValidityOf(channelId);
    for (const heartbeat of this.deps.boardOf(channelId)?.heartbeats() ?? []) {
      for (const claim of heartbeat.claims) {
        if (slot !== -1 && (claim.slot ?? heartbeat.slot) !== slot) continue;
        if (claim.uid === uid && claim.uidValidity === uidValidity && (!best || claim.since > best.claim.since)) best = { heartbeat, claim };
      }
    }
    return best;
  }

  private latestClaimOn(channelId: string, uid: number): number {
    return this.listing(channelId, uid)?.claim.since ?? 0;
  }

  private takenFrom(mine: OwnClaim): boolean {
    const listing = this.listing(mine.channelId, mine.uid);
    return listing !== null && listing.claim.since > mine.since;
  }

  private publish(channelId: string): Promise<void> {
    const claims = [...this.own.values()].filter((c) => c.channelId === channelId).map(({ uid, uidValidity, since, slot }) => ({ uid, uidValidity, since, slot }));
    return this.deps.boardOf(channelId)?.setClaims(claims) ?? Promise.resolve();
  }

  /** The keywords of claims this desk let go of, unless another desk has claimed the message since. */
  private async removeKeywords(channelId: string): Promise<void> {
    const client = this.deps.syncOf(channelId)?.client;
    if (!client) return;
    for (const [releasing, claim] of this.releasing) {
      if (claim.channelId !== channelId) continue;
      if (!this.takenFrom(claim)) await this.removeKeyword(client, claim).catch(() => undefined);
      this.releasing.delete(releasing);
      const row = this.deps.team.byUid(channelId, claim.uid);
      if (row && row.claimSlot === claim.slot) this.deps.team.setMarks(row.id, { done: row.doneMark === 1, claimSlot: null, modseq: null });
    }
  }

  /** Removes the claim from the message while it is still this desk's (its slot on it). */
  private async removeKeyword(client: ImapFlow, claim: OwnClaim): Promise<void> {
    if (!canCompareAndSet(client)) return;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const now = await readFlags(client, claim.uid);
      const slots = now ? slotsOf(now.flags) : [];
      if (!now || !slots.includes(claim.slot)) return;
      // Another desk's slot beside this one (two claims being settled): the claim is left to it.
      const keywords = slots.length > 1 ? [slotKeyword(claim.slot)] : [REPLYING, slotKeyword(claim.slot)];
      if ((await storeIfUnchanged(client, claim.uid, now.modseq, 'remove', keywords)).status !== 'modified') return;
    }
  }

  /** One claim step at a time: two quick keystrokes must not race each other to the server. */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.work.then(step);
    this.work = next.catch(() => undefined);
    return next;
  }
}
