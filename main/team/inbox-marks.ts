// Completed, shared: a conversation is Completed on every desk when its client's newest message
// in the INBOX carries $PostdeskDone. This desk writes the keyword when its operator completes
// (or removes it on re-open), and follows what the other desks write: at the end of every pass
// of the INBOX sync it sends its own waiting changes, then reads the keywords that changed since
// the last HIGHESTMODSEQ it saw (CONDSTORE), which covers changes pushed in IDLE and everything
// that happened while it was away. A newer message from the client beats Completed: the keyword
// counts only on the newest one, and a waiting Complete of an older one is dropped.
import type { ImapFlow } from 'imapflow';
import type { ConversationStatus } from '../../common/domain/conversation';
import type { EventBus } from '../events';
import type { FlagFollower } from '../mail/imap-sync';
import { fetchEach, listingRanges } from '../mail/uid-ranges';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { SyncStateRepo } from '../store/sync-state-repo';
import type { TeamChange, TeamRepo } from '../store/team-repo';
import { canCompareAndSet, claimSlotOf, DONE, readFlags, storeIfUnchanged } from './keywords';
import type { Transaction } from '../store/unit-of-work';

export interface InboxMarksDeps {
  team: TeamRepo;
  conversations: Pick<ConversationsRepo, 'get' | 'setStatus'>;
  syncState: SyncStateRepo;
  events: EventBus;
  transaction: Transaction;
  /** Asks the channel's INBOX sync for a pass soon (it sends the waiting changes at its end). */
  wake(channelId: string): void;
  /** A claim keyword came or went on the channel's messages (claims.ts takes it from there). */
  claimsChanged(channelId: string): void;
}

/** A lost compare-and-set is tried again this often when only other flags (\Seen) changed. */
const MAX_TRIES = 5;

export class InboxMarks implements FlagFollower {
  constructor(private readonly deps: InboxMarksDeps) {}

  /** The operator completed (done) or re-opened the conversation: at once here, on the server as soon as it is reachable. */
  set(conversationId: number, status: ConversationStatus): void {
    const { team, conversations, transaction } = this.deps;
    const conversation = conversations.get(conversationId);
    if (!conversation) return;
    transaction(() => {
      conversations.setStatus(conversationId, status);
      // A conversation with no client mail in the INBOX (one the operator started) has nothing to mark.
      const anchor = team.anchor(conversationId);
      if (anchor) team.queueChange({ conversationId, messageId: anchor.id, done: status === 'completed', baseDone: anchor.doneMark, baseModseq: anchor.modseq });
    });
    this.deps.events.emit('conversations.changed', { ids: [conversationId] });
    this.deps.wake(conversation.channelId);
  }

  async follow(client: ImapFlow, { channelId, mailbox }: { channelId: string; mailbox: string }): Promise<void> {
    for (const change of this.deps.team.changes(channelId)) await this.send(client, change);
    await this.readChanges(client, channelId, mailbox);
  }

  /** One waiting change: written with the MODSEQ it was based on; a lost race is looked at again. */
  private async send(client: ImapFlow, change: TeamChange): Promise<void> {
    const { team } = this.deps;
    const target = team.byId(change.messageId);
    // Its UID is learnt again after a UIDVALIDITY change; until then the change waits.
    if (!target) return;
    if (team.anchor(change.conversationId)?.id !== change.messageId) return team.dropChange(change.conversationId);
    const op = change.done ? 'add' : 'remove';
    if (!canCompareAndSet(client)) {
      await (change.done ? client.messageFlagsAdd : client.messageFlagsRemove).call(client, String(target.uid), [DONE], { uid: true });
      return this.applied(change, target.claimSlot, null);
    }
    let modseq = change.baseModseq ?? (await readFlags(client, target.uid))?.modseq;
    for (let tries = 0; modseq !== undefined && tries < MAX_TRIES; tries++) {
      // Changed, or nothing to change (the keyword already so): applied.
      if ((await storeIfUnchanged(client, target.uid, modseq, op, [DONE])).status !== 'modified') return this.applied(change, target.claimSlot, null);
      const now = await readFlags(client, target.uid);
      if (!now) break;
      const doneNow = now.flags.has(DONE);
      // Another desk already did the same, or did the opposite after this desk last looked: theirs stands.
      if (doneNow === change.done || (change.baseDone !== null && (doneNow ? 1 : 0) !== change.baseDone)) {
        return this.adopt(change, doneNow, claimSlotOf(now.flags), now.modseq);
      }
      modseq = now.modseq;
    }
    if (modseq === undefined) team.dropChange(change.conversationId); // the message is gone from the server
  }

  private applied(change: TeamChange, claimSlot: number | null, modseq: bigint | null): void {
    this.deps.transaction(() => {
      this.deps.team.setMarks(change.messageId, { done: change.done, claimSlot, modseq });
      this.deps.team.dropChange(change.conversationId);
    });
  }

  /** The server's state wins over this desk's waiting change. */
  private adopt(change: TeamChange, done: boolean, claimSlot: number | null, modseq: bigint): void {
    this.deps.transaction(() => {
      this.deps.team.setMarks(change.messageId, { done, claimSlot, modseq });
      this.deps.team.dropChange(change.conversationId);
      this.deps.conversations.setStatus(change.conversationId, done ? 'completed' : 'active');
    });
    this.deps.events.emit('conversations.changed', { ids: [change.conversationId] });
  }

  /** The keywords that changed since the last read (all of them the first time, or without CONDSTORE). */
  private async readChanges(client: ImapFlow, channelId: string, mailbox: string): Promise<void> {
    if (!client.mailbox || client.mailbox.exists === 0) return;
    const { syncState } = this.deps;
    const condstore = canCompareAndSet(client);
    const since = condstore ? syncState.highestModseq(channelId, mailbox) : null;
    const read: Array<{ uid: number; flags: Set<string>; modseq: bigint | null }> = [];
    // Everything the first time (in pieces); what changed since, one small answer, afterwards.
    const ranges = since === null ? listingRanges(0, client.mailbox.uidNext) : ['1:*'];
    // imapflow asks for MODSEQ by itself whenever CONDSTORE is on.
    for await (const m of fetchEach(client, ranges, { uid: true, flags: true }, { uid: true, ...(since !== null ? { changedSince: since } : {}) })) {
      read.push({ uid: m.uid, flags: m.flags ?? new Set(), modseq: m.modseq === undefined ? null : BigInt(m.modseq) });
    }
    const { changed, claims } = this.deps.transaction(() => this.apply(channelId, read));
    if (condstore) {
      const highest = read.reduce((max, m) => (m.modseq !== null && m.modseq > max ? m.modseq : max), since ?? 0n);
      if (highest > (since ?? 0n)) syncState.saveHighestModseq(channelId, mailbox, highest);
    }
    if (changed.size > 0) this.deps.events.emit('conversations.changed', { ids: [...changed] });
    if (claims) this.deps.claimsChanged(channelId);
  }

  /** Stores what was read; a change of the newest message's Done moves its conversation. Says which conversations moved, and whether claims changed. */
  private apply(channelId: string, read: Array<{ uid: number; flags: Set<string>; modseq: bigint | null }>): { changed: Set<number>; claims: boolean } {
    const { team, conversations } = this.deps;
    const changed = new Set<number>();
    let claims = false;
    for (const m of read) {
      const row = team.byUid(channelId, m.uid);
      if (!row) continue;
      const done = m.flags.has(DONE);
      const claimSlot = claimSlotOf(m.flags);
      team.setMarks(row.id, { done, claimSlot, modseq: m.modseq });
      if (claimSlot !== row.claimSlot) {
        changed.add(row.conversationId);
        claims = true;
      }
      // Nothing new: the same as before, or first seen without the keyword.
      if (row.doneMark === (done ? 1 : 0) || (row.doneMark === null && !done)) continue;
      if (team.anchor(row.conversationId)?.id !== row.id) continue;
      // This desk's own change is still on its way: it decides when it reaches the server.
      if (team.hasChange(row.conversationId)) continue;
      const status: ConversationStatus = done ? 'completed' : 'active';
      if (conversations.get(row.conversationId)?.status !== status) {
        conversations.setStatus(row.conversationId, status);
        changed.add(row.conversationId);
      }
    }
    return { changed, claims };
  }
}
