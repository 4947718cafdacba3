import type { ConversationStatus, ConversationSummary } from '../../common/domain/conversation';
import type { Db } from './database';

/** A conversation as the list shows it, before the team's claim on it is added (main/conversations/). */
export type StoredSummary = Omit<ConversationSummary, 'replying'>;

export class ConversationsRepo {
  constructor(private readonly db: Db) {}

  /** The conversation of this client on this channel, created (active) when there is none. */
  ensure(clientId: number, channelId: string, now = Date.now()): number {
    this.db
      .prepare(
        `INSERT INTO conversations (client_id, channel_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT (client_id, channel_id) DO NOTHING`,
      )
      .run(clientId, channelId, now);
    return this.find(clientId, channelId)!;
  }

  /** The conversation of this client on this channel; undefined while there is none. */
  find(clientId: number, channelId: string): number | undefined {
    return this.db.prepare('SELECT id FROM conversations WHERE client_id = ? AND channel_id = ?').pluck().get(clientId, channelId) as number | undefined;
  }

  /**
   * Client mail that still waits in an Active conversation: unread on this desk, or unanswered
   * (the newest message is the client's; a failed send answers nothing, and our own copy coming
   * back from the channel's address is not the client's). Null when nothing waits.
   */
  waitingMail(id: number): { unread: boolean; unanswered: boolean } | null {
    const row = this.db
      .prepare(
        `SELECT c.status, c.unread,
                (SELECT m.direction FROM messages m
                 WHERE m.conversation_id = c.id AND m.status <> 'failed'
                   AND NOT (m.direction = 'in' AND lower(coalesce(m.from_address, '')) = lower(ch.address))
                 ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS newest
         FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = ?`,
      )
      .get(id) as { status: ConversationStatus; unread: number; newest: 'in' | 'out' | null } | undefined;
    if (row?.status !== 'active') return null;
    const waiting = { unread: row.unread > 0, unanswered: row.newest === 'in' };
    return waiting.unread || waiting.unanswered ? waiting : null;
  }

  /** New mail from the client: the conversation is active again, unread, and moves to the top. */
  recordIncoming(id: number, at: number): void {
    this.db
      .prepare(
        `UPDATE conversations SET status = 'active', unread = unread + 1,
           last_message_at = max(coalesce(last_message_at, 0), ?) WHERE id = ?`,
      )
      .run(at, id);
  }

  recordOutgoing(id: number, at: number): void {
    this.db.prepare('UPDATE conversations SET last_message_at = max(coalesce(last_message_at, 0), ?) WHERE id = ?').run(at, id);
  }

  get(id: number): { id: number; clientId: number; channelId: string; status: ConversationStatus } | undefined {
    return this.db
      .prepare('SELECT id, client_id AS clientId, channel_id AS channelId, status FROM conversations WHERE id = ?')
      .get(id) as { id: number; clientId: number; channelId: string; status: ConversationStatus } | undefined;
  }

  /** Active conversations with mail the operator has not opened: the count on Active, in the title and on the dock. */
  activeUnreadCount(): number {
    return this.db.prepare(`SELECT count(*) FROM conversations WHERE status = 'active' AND unread > 0`).pluck().get() as number;
  }

  /** The client's conversation on the channel used most recently (newest mail either way); undefined when there is none. */
  latestOfClient(clientId: number): number | undefined {
    return this.db
      .prepare('SELECT id FROM conversations WHERE client_id = ? ORDER BY coalesce(last_message_at, created_at) DESC, id DESC LIMIT 1')
      .pluck()
      .get(clientId) as number | undefined;
  }

  markRead(id: number): void {
    this.db.prepare('UPDATE conversations SET unread = 0 WHERE id = ?').run(id);
  }

  clientName(id: number): string {
    const row = this.db
      .prepare('SELECT cl.name FROM conversations c JOIN clients cl ON cl.id = c.client_id WHERE c.id = ?')
      .get(id) as { name: string } | undefined;
    return row?.name ?? '';
  }

  setStatus(id: number, status: ConversationStatus): void {
    this.db.prepare('UPDATE conversations SET status = ? WHERE id = ?').run(status, id);
  }

  /** Newest activity first; the subject is that of the conversation's latest message. */
  list(status: ConversationStatus): StoredSummary[] {
    return this.summaries('c.status = ?', status);
  }

  summary(id: number): StoredSummary | undefined {
    return this.summaries('c.id = ?', id)[0];
  }

  private summaries(where: string, value: string | number): StoredSummary[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.status, cl.name AS clientName, ch.name AS channelName, c.last_message_at AS lastMessageAt,
                c.unread,
                coalesce((SELECT m.subject FROM messages m WHERE m.conversation_id = c.id
                          ORDER BY m.created_at DESC, m.id DESC LIMIT 1), '') AS lastSubject,
                (SELECT CASE max(m.status = 'failed') WHEN 1 THEN 'failed' WHEN 0 THEN 'retrying' END FROM messages m
                 WHERE m.conversation_id = c.id AND m.direction = 'out'
                   AND (m.status = 'failed' OR (m.status = 'queued' AND m.error IS NOT NULL))) AS sendProblem
         FROM conversations c
         JOIN clients cl ON cl.id = c.client_id
         JOIN channels ch ON ch.id = c.channel_id
         WHERE ${where}
         ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id DESC`,
      )
      .all(value) as Array<Omit<StoredSummary, 'unread'> & { unread: number }>;
    return rows.map((row) => ({ ...row, unread: row.unread > 0 }));
  }
}
