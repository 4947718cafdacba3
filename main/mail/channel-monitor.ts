import { isConnectionFailure, type Failure } from '../../common/failure';
import type { ChannelState, ChannelView, ClaimsState, SmtpState, TeamState } from '../../common/domain/channel';
import type { ChannelConfig } from '../config/schema';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { createImapClient, imapFailure } from './imap-client';
import { smtpCheck, judge } from './smtp-session';

/** The team's own connections of a channel beside its INBOX (main/team/team-engine.ts). */
export type TeamPart = 'sent' | 'desks';

const CONNECTED = new Set<ChannelState['kind']>(['idle', 'syncing']);

/**
 * Knows each configured channel's connection state and tells the renderer when it changes.
 * The team's view of a channel is live only while all its connections are: the INBOX (Completed
 * and claims), the desks' folder (who is replying) and the Sent folder (others' answers).
 */
export class ChannelMonitor {
  private readonly states = new Map<string, ChannelState>();
  private readonly teamParts = new Map<string, Map<TeamPart, ChannelState>>();
  /** Channels whose server cannot compare-and-set (no CONDSTORE): no claims are made there, and the operator is told. */
  private readonly noClaims = new Set<string>();
  private readonly smtp = new Map<string, SmtpState>();

  constructor(
    private readonly channels: readonly ChannelConfig[],
    private readonly events: EventBus,
  ) {
    for (const c of channels) this.states.set(c.id, { kind: 'unchecked' });
  }

  list(): ChannelView[] {
    return this.channels.map((c) => this.toView(c));
  }

  setState(id: string, state: ChannelState): void {
    this.states.set(id, state);
    this.emit(id);
  }

  setTeamState(id: string, part: TeamPart, state: ChannelState): void {
    const parts = this.teamParts.get(id) ?? new Map<TeamPart, ChannelState>();
    const before = this.team(id, parts);
    parts.set(part, state);
    this.teamParts.set(id, parts);
    if (this.team(id, parts) !== before) this.emit(id);
  }

  /** What the INBOX connection found out when it opened: can the server take a compare-and-set? */
  setClaims(id: string, claims: ClaimsState): void {
    if ((claims === 'unavailable') === this.noClaims.has(id)) return;
    if (claims === 'unavailable') this.noClaims.add(id);
    else this.noClaims.delete(id);
    this.emit(id);
  }

  /**
   * What a send attempt found of the channel's SMTP server: reached (null, or a refusal of that
   * one message), or not reachable / not usable (a connection failure).
   */
  sendOutcome(id: string, problem: Failure | null): void {
    this.setSmtp(id, problem && isConnectionFailure(problem) ? { kind: 'error', reason: problem } : { kind: 'ok' });
  }

  /** Check connection, the sending side: connect, log in and quit. */
  async checkSmtp(id: string): Promise<void> {
    try {
      await smtpCheck(this.channelOf(id));
      this.setSmtp(id, { kind: 'ok' });
    } catch (error) {
      this.setSmtp(id, { kind: 'error', reason: judge(error).reason });
    }
  }

  private setSmtp(id: string, state: SmtpState): void {
    if (JSON.stringify(this.smtp.get(id)) === JSON.stringify(state)) return;
    this.smtp.set(id, state);
    this.emit(id);
  }

  /** Logs in to the channel's IMAP server and out again; the outcome becomes its state. */
  async check(id: string): Promise<ChannelView> {
    const channel = this.channelOf(id);
    this.setState(id, { kind: 'connecting' });
    try {
      const client = createImapClient(channel);
      client.on('error', () => {});
      await client.connect();
      await client.logout();
      this.setState(id, { kind: 'idle' });
    } catch (error) {
      this.setState(id, { kind: 'error', reason: imapFailure(error) });
    }
    return this.toView(channel);
  }

  view(id: string): ChannelView {
    return this.toView(this.channelOf(id));
  }

  private emit(id: string): void {
    this.events.emit('channels.state', { id, state: this.states.get(id)!, smtp: this.smtpOf(id), team: this.team(id), claims: this.claims(id) });
  }

  private team(id: string, parts = this.teamParts.get(id)): TeamState {
    const channel = this.channels.find((c) => c.id === id);
    const wanted: TeamPart[] = channel?.sentMailbox === undefined ? ['desks'] : ['desks', 'sent'];
    const inbox = this.states.get(id);
    const live = inbox !== undefined && CONNECTED.has(inbox.kind) && wanted.every((p) => CONNECTED.has(parts?.get(p)?.kind ?? 'unchecked'));
    return live ? 'live' : 'offline';
  }

  private smtpOf(id: string): SmtpState {
    return this.smtp.get(id) ?? { kind: 'unchecked' };
  }

  private claims(id: string): ClaimsState {
    return this.noClaims.has(id) ? 'unavailable' : 'shared';
  }

  private channelOf(id: string): ChannelConfig {
    const channel = this.channels.find((c) => c.id === id);
    if (!channel) throw new AppError('not_found', `There is no channel "${id}".`);
    return channel;
  }

  private toView(c: ChannelConfig): ChannelView {
    return { id: c.id, name: c.name, address: c.address, state: this.states.get(c.id)!, smtp: this.smtpOf(c.id), team: this.team(c.id), claims: this.claims(c.id) };
  }
}
