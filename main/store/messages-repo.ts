// The messages table and its attachments' rows: every statement that touches them, and the one
// mapping from rows to what the history shows. Over 300 lines because the table is the history's
// heart (incoming, outgoing, filed answers, Sent copies, paging); split by caller, the same
// columns and encodings would be written in several files.
import { decodeFailure, encodeFailure, type Failure } from '../../common/failure';
import type { Quote } from '../compose/quote';
import type { PartRange } from '../files/derived-blob';
import type { AttachmentView } from '../../common/domain/attachment';
import type { MessageStatus, MessageView } from '../../common/domain/message';
import { divertingReplyTo } from '../mail/reply-threading';
import { CHECK_COLUMNS, checkOf, RANGE_COLUMNS, rangeValues, type CheckColumns } from './attachments-repo';
import type { Db } from './database';

export interface NewAttachment {
  fileName: string;
  mediaType: string;
  size: number;
  /** SHA-256 of the bytes, which is also the blob key. */
  blobKey: string;
  contentId: string | null;
  inline: boolean;
  /** A received file kept only as this range of the raw message (main/files/derived-blob.ts); absent when its bytes are a blob of their own. */
  range?: PartRange;
}

interface CommonFields {
  conversationId: number;
  fromAddress: string | null;
  fromName: string | null;
  toAddress: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  attachments: NewAttachment[];
}

export interface NewIncoming extends CommonFields {
  replyTo: string | null;
  /** The content key (main/mail/content-key.ts) when it was computed for this message, else null. */
  contentHash: string | null;
  /** The text or HTML is kept only up to the display size; false when left out. */
  bodyTruncated?: boolean;
  rawBlobKey: string;
  problems: string[];
  imapUid: number | null;
  createdAt: number;
}

export interface NewOutgoing extends CommonFields {
  kind: 'reply' | 'new';
  /** What an answer quotes of the client's message (compose-message.ts puts it into the mail). */
  quote?: Quote | null;
  bcc: string[];
  /** Who answered: this desk's operator, or another desk's as its Sent copy names them (null when it does not). */
  operatorName: string | null;
  operatorDesk: string | null;
  createdAt: number;
}

/** Another desk's answer, read from the channel's Sent folder: sent already, its original kept. */
export interface FiledAnswer extends NewOutgoing {
  rawBlobKey: string;
  problems: string[];
  bodyTruncated: boolean;
}

/** What the outbox needs to send (or re-send) a message. */
export interface OutgoingRow {
  id: number;
  conversationId: number;
  status: MessageStatus;
  fromAddress: string;
  /** The sender's name the client sees. */
  fromName: string | null;
  toAddress: string;
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  quote: Quote | null;
  attachments: Array<NewAttachment & { position: number }>;
}

/** A sent message whose copy the Sent folder has yet to get (main/team/sent-copies.ts). */
export interface PendingSentCopy {
  id: number;
  messageId: string;
  /** The bytes that went over SMTP. */
  blobKey: string;
  createdAt: number;
  operatorName: string | null;
  operatorDesk: string | null;
}

/** A stored message that shares an incoming one's Message-ID. */
export interface SameIdRow {
  id: number;
  direction: 'in' | 'out';
  fromAddress: string | null;
  subject: string;
  rawBlobKey: string | null;
  /** null until it was needed once. */
  contentHash: string | null;
}

/** The client's latest message in a conversation: what a reply threads to, and quotes. */
export interface ThreadAnchor {
  messageId: string | null;
  references: string[];
  replyTo: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  createdAt: number;
}

/** A message as the history shows it, before the config adds its save-all default. */
export type StoredMessageView = Omit<MessageView, 'saveAllMode'>;

interface MessageRow {
  id: number;
  conversationId: number;
  direction: 'in' | 'out';
  outgoingKind: 'reply' | 'new' | null;
  status: MessageStatus;
  fromAddress: string | null;
  fromName: string | null;
  toAddress: string | null;
  replyTo: string | null;
  bcc: string;
  subject: string;
  text: string | null;
  html: string | null;
  createdAt: number;
  sentAt: number | null;
  error: string | null;
  problems: string;
  rawBlobKey: string | null;
  bodyTruncated: number;
  operatorName: string | null;
  quote: string | null;
}

interface AttachmentRow extends CheckColumns {
  id: number;
  messageId: number;
  position: number;
  fileName: string;
  mediaType: string;
  size: number;
  blobKey: string;
  contentId: string | null;
  inline: number;
}

const MESSAGE_COLUMNS = `id, conversation_id AS conversationId, direction, outgoing_kind AS outgoingKind, status, from_address AS fromAddress,
  from_name AS fromName, to_address AS toAddress, reply_to AS replyTo, bcc, subject, text, html, created_at AS createdAt,
  sent_at AS sentAt, error, problems, raw_blob_key AS rawBlobKey, body_truncated AS bodyTruncated, operator_name AS operatorName, quote`;

const ATTACHMENT_COLUMNS = `id, message_id AS messageId, position, file_name AS fileName, media_type AS mediaType,
  size, blob_key AS blobKey, content_id AS contentId, inline, ${CHECK_COLUMNS}`;

function toAttachmentView(a: AttachmentRow): AttachmentView {
  return { id: a.id, fileName: a.fileName, mediaType: a.mediaType, size: a.size, inline: a.inline === 1, contentId: a.contentId, check: checkOf(a) };
}

/**
 * Messages are stored with whole seconds, as IMAP dates are, and the history orders them by that
 * time and then by the order this desk stored them: an answer sent at 12:00:05.8 and a client's
 * mail whose server date says 12:00:05 keep the order they arrived in, not one made up from a
 * fraction the server's clock never gave.
 */
function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export class MessagesRepo {
  constructor(private readonly db: Db) {}

  /** The message and its attachments' rows as one (inside the caller's unit of work when there is one). */
  insertIncoming(m: NewIncoming): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO messages (conversation_id, direction, status, from_address, from_name, to_address, reply_to,
             subject, text, html, message_id, in_reply_to, references_ids, content_hash, raw_blob_key, problems,
             imap_uid, body_truncated, created_at)
           VALUES (@conversationId, 'in', 'received', @fromAddress, @fromName, @toAddress, @replyTo, @subject, @text,
             @html, @messageId, @inReplyTo, @references, @contentHash, @rawBlobKey, @problems, @imapUid, @bodyTruncated,
             @createdAt)`,
        )
        .run({
          ...m,
          createdAt: wholeSecond(m.createdAt),
          references: JSON.stringify(m.references),
          problems: JSON.stringify(m.problems),
          bodyTruncated: m.bodyTruncated ? 1 : 0,
        });
      const id = Number(lastInsertRowid);
      this.insertAttachments(id, m.attachments);
      return id;
    })();
  }

  /** Written before any attempt to send: status queued, so nothing is lost if the app stops. */
  insertOutgoing(m: NewOutgoing): number {
    return this.insertOut({ ...m, status: 'queued', rawBlobKey: null, problems: [], bodyTruncated: false, sentAt: null });
  }

  /** Another desk's answer: stored as sent at the time its copy was filed. */
  insertFiledAnswer(m: FiledAnswer): number {
    return this.insertOut({ ...m, status: 'sent', sentAt: m.createdAt });
  }

  private insertOut(m: NewOutgoing & { status: MessageStatus; rawBlobKey: string | null; problems: string[]; bodyTruncated: boolean; sentAt: number | null }): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO messages (conversation_id, direction, status, outgoing_kind, from_address, from_name, to_address,
             bcc, subject, text, html, message_id, in_reply_to, references_ids, operator_name, operator_desk, raw_blob_key,
             problems, body_truncated, quote, sent_at, created_at)
           VALUES (@conversationId, 'out', @status, @kind, @fromAddress, @fromName, @toAddress, @bcc, @subject, @text,
             @html, @messageId, @inReplyTo, @references, @operatorName, @operatorDesk, @rawBlobKey, @problems, @bodyTruncated,
             @quote, @sentAt, @createdAt)`,
        )
        .run({
          ...m,
          createdAt: wholeSecond(m.createdAt),
          sentAt: m.sentAt === null ? null : wholeSecond(m.sentAt),
          bcc: JSON.stringify(m.bcc),
          references: JSON.stringify(m.references),
          problems: JSON.stringify(m.problems),
          bodyTruncated: m.bodyTruncated ? 1 : 0,
          quote: m.quote ? JSON.stringify(m.quote) : null,
        });
      const id = Number(lastInsertRowid);
      this.insertAttachments(id, m.attachments);
      return id;
    })();
  }

  private insertAttachments(messageId: number, attachments: NewAttachment[]): void {
    const insert = this.db.prepare(
      `INSERT INTO attachments (message_id, position, file_name, media_type, size, sha256, blob_key, content_id, inline, ${RANGE_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    attachments.forEach((a, position) =>
      insert.run(messageId, position, a.fileName, a.mediaType, a.size, a.blobKey, a.blobKey, a.contentId, a.inline ? 1 : 0, ...rangeValues(a.range)),
    );
  }

  /** The message of the channel stored from these very bytes, if any (a re-fetch after a UIDVALIDITY change). */
  idOfRaw(channelId: string, rawKey: string): number | undefined {
    return this.db
      .prepare(
        `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.raw_blob_key = ? AND c.channel_id = ? LIMIT 1`,
      )
      .pluck()
      .get(rawKey, channelId) as number | undefined;
  }

  /** A message read again under a new UID (after a UIDVALIDITY change) keeps its row and learns the UID. */
  setImapUid(id: number, imapUid: number): void {
    this.db.prepare('UPDATE messages SET imap_uid = ? WHERE id = ?').run(imapUid, id);
  }

  /**
   * The messages of the channel with this Message-ID, incoming and outgoing, with what tells
   * whether one of them is the same message (see Ingest): usually none, rarely a few.
   */
  withMessageId(channelId: string, messageId: string): SameIdRow[] {
    return this.db
      .prepare(
        `SELECT m.id, m.direction, m.from_address AS fromAddress, m.subject, m.raw_blob_key AS rawBlobKey, m.content_hash AS contentHash
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.message_id = ? AND c.channel_id = ? ORDER BY m.id`,
      )
      .all(messageId, channelId) as SameIdRow[];
  }

  /** Remembers a message's content key (main/mail/content-key.ts) once it has been computed. */
  setContentHash(id: number, contentHash: string): void {
    this.db.prepare('UPDATE messages SET content_hash = ? WHERE id = ?').run(contentHash, id);
  }

  /**
   * The conversations holding a message an incoming one names in In-Reply-To/References, the
   * newest first, each with its client's e-mail address.
   */
  conversationsOfReferences(channelId: string, ids: string[]): Array<{ id: number; clientEmail: string | null }> {
    if (ids.length === 0) return [];
    return this.db
      .prepare(
        `SELECT m.conversation_id AS id, cl.email AS clientEmail
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN clients cl ON cl.id = c.client_id
         WHERE c.channel_id = ? AND m.message_id IN (SELECT value FROM json_each(?))
         GROUP BY m.conversation_id ORDER BY max(m.id) DESC`,
      )
      .all(channelId, JSON.stringify(ids)) as Array<{ id: number; clientEmail: string | null }>;
  }

  setStatus(id: number, status: MessageStatus, error: Failure | null = null, sentAt: number | null = null): void {
    this.db.prepare('UPDATE messages SET status = ?, error = ?, sent_at = coalesce(?, sent_at) WHERE id = ?').run(status, encodeFailure(error), sentAt, id);
  }

  /**
   * Sent: the server accepted the message. With `copyBlob` its Sent-folder copy is still to be
   * appended, from those bytes (the step is recorded with the status, so a desk killed in
   * between appends it on its next start).
   */
  markSent(id: number, note: Failure | null, sentAt: number, copyBlob: string | null): void {
    this.db
      .prepare(
        `UPDATE messages SET status = 'sent', error = ?, sent_at = ?, sent_copy = CASE WHEN ? IS NULL THEN NULL ELSE 'pending' END,
           sent_copy_blob = ? WHERE id = ?`,
      )
      .run(encodeFailure(note), sentAt, copyBlob, copyBlob, id);
  }

  /** An outgoing message that never went (its attachments go with it; their bytes stay for whatever else uses them). */
  deleteUnsent(id: number): void {
    this.db.prepare(`DELETE FROM messages WHERE id = ? AND direction = 'out' AND status IN ('queued', 'failed')`).run(id);
  }

  /** Sent messages of the channel whose Sent-folder copy is not appended yet, oldest first. */
  pendingSentCopies(channelId: string): PendingSentCopy[] {
    return this.db
      .prepare(
        `SELECT m.id, m.message_id AS messageId, m.sent_copy_blob AS blobKey, m.created_at AS createdAt,
           m.operator_name AS operatorName, m.operator_desk AS operatorDesk
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.sent_copy = 'pending' AND c.channel_id = ? ORDER BY m.id`,
      )
      .all(channelId) as PendingSentCopy[];
  }

  /** The copy is in the Sent folder: its bytes are no longer kept for it (the blob sweep takes them). */
  sentCopyDone(id: number): void {
    this.db.prepare(`UPDATE messages SET sent_copy = 'done', sent_copy_blob = NULL WHERE id = ?`).run(id);
  }

  /** The newest message of the conversation (by id: the order they were stored in), for "what changed since". */
  newestId(conversationId: number): number | null {
    return (this.db.prepare('SELECT max(id) FROM messages WHERE conversation_id = ?').pluck().get(conversationId) as number | null) ?? null;
  }

  /**
   * What reached the conversation after message `afterId` that the operator did not write: the
   * client's mail, and answers that other desks sent (or that came from outside Postdesk).
   */
  othersSince(conversationId: number, afterId: number, deskId: string): Array<{ direction: 'in' | 'out'; name: string | null; createdAt: number }> {
    return this.db
      .prepare(
        `SELECT m.direction, CASE WHEN m.direction = 'in' THEN coalesce(nullif(m.from_name, ''), m.from_address) ELSE m.operator_name END AS name,
           m.created_at AS createdAt
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN channels ch ON ch.id = c.channel_id
         WHERE m.conversation_id = ? AND m.id > ?
           AND ((m.direction = 'in' AND lower(coalesce(m.from_address, '')) <> lower(ch.address))
             OR (m.direction = 'out' AND coalesce(m.operator_desk, '') <> ?))
         ORDER BY m.created_at, m.id`,
      )
      .all(conversationId, afterId, deskId) as Array<{ direction: 'in' | 'out'; name: string | null; createdAt: number }>;
  }

  /** Outgoing messages not yet accepted by a server; "sending" ones were interrupted by a stop. */
  unsent(): number[] {
    return (
      this.db
        .prepare(`SELECT id FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending') ORDER BY id`)
        .all() as Array<{ id: number }>
    ).map((r) => r.id);
  }

  outgoing(id: number): OutgoingRow | undefined {
    const row = this.db
      .prepare(
        `SELECT id, conversation_id AS conversationId, status, from_address AS fromAddress, from_name AS fromName, to_address AS toAddress,
           bcc, subject, text, html, message_id AS messageId, in_reply_to AS inReplyTo, references_ids AS refs, quote
         FROM messages WHERE id = ? AND direction = 'out'`,
      )
      .get(id) as (Omit<OutgoingRow, 'bcc' | 'references' | 'attachments' | 'quote'> & { bcc: string; refs: string | null; quote: string | null }) | undefined;
    if (!row) return undefined;
    const { refs, bcc, quote, ...rest } = row;
    return {
      ...rest,
      quote: quote ? (JSON.parse(quote) as Quote) : null,
      bcc: JSON.parse(bcc) as string[],
      references: refs ? (JSON.parse(refs) as string[]) : [],
      attachments: this.attachmentsOf([id]).map((a) => ({
        position: a.position,
        fileName: a.fileName,
        mediaType: a.mediaType,
        size: a.size,
        blobKey: a.blobKey,
        contentId: a.contentId,
        inline: a.inline === 1,
      })),
    };
  }

  lastIncoming(conversationId: number): ThreadAnchor | undefined {
    const row = this.db
      .prepare(
        // Mail from the channel's own address may thread in (our own copy coming back): it is
        // not the client's, so a reply never answers it — that would send the reply to ourselves.
        `SELECT m.message_id AS messageId, m.references_ids AS refs, m.reply_to AS replyTo, m.from_address AS fromAddress,
           m.from_name AS fromName, m.subject, m.text, m.html, m.created_at AS createdAt
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN channels ch ON ch.id = c.channel_id
         WHERE m.conversation_id = ? AND m.direction = 'in' AND lower(coalesce(m.from_address, '')) <> lower(ch.address)
         ORDER BY m.created_at DESC, m.id DESC LIMIT 1`,
      )
      .get(conversationId) as (Omit<ThreadAnchor, 'references'> & { refs: string | null }) | undefined;
    if (!row) return undefined;
    const { refs, ...rest } = row;
    return { ...rest, references: refs ? (JSON.parse(refs) as string[]) : [] };
  }

  get(id: number): StoredMessageView | undefined {
    const row = this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined;
    return row ? this.toViews([row])[0] : undefined;
  }

  /** Oldest to newest, each with all its attachments. */
  list(conversationId: number): StoredMessageView[] {
    return this.page(conversationId, { limit: -1 }).messages;
  }

  /**
   * The newest `limit` messages before the message `before` (or the newest of all), returned
   * oldest to newest, and whether older ones remain.
   */
  page(conversationId: number, { before, limit }: { before?: number; limit: number }): { messages: StoredMessageView[]; hasOlder: boolean } {
    const rows = this.db
      .prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE conversation_id = @conversationId
           AND (@before IS NULL OR (created_at, id) < (SELECT created_at, id FROM messages WHERE id = @before))
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ conversationId, before: before ?? null, limit: limit < 0 ? -1 : limit + 1 }) as MessageRow[];
    const hasOlder = limit >= 0 && rows.length > limit;
    const page = hasOlder ? rows.slice(0, limit) : rows;
    return { messages: this.toViews(page.reverse()), hasOlder };
  }

  private attachmentsOf(messageIds: number[]): AttachmentRow[] {
    if (messageIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE message_id IN (SELECT value FROM json_each(?))
         ORDER BY message_id, position`,
      )
      .all(JSON.stringify(messageIds)) as AttachmentRow[];
  }

  /** The message's original bytes (.eml), when it arrived by mail. */
  rawBlobKey(id: number): string | undefined {
    const row = this.db.prepare('SELECT raw_blob_key AS key FROM messages WHERE id = ?').get(id) as { key: string | null } | undefined;
    return row?.key ?? undefined;
  }

  private toViews(rows: MessageRow[]): StoredMessageView[] {
    const byMessage = new Map<number, AttachmentView[]>();
    for (const a of this.attachmentsOf(rows.map((r) => r.id))) {
      const list = byMessage.get(a.messageId) ?? [];
      list.push(toAttachmentView(a));
      byMessage.set(a.messageId, list);
    }
    return rows.map(({ rawBlobKey, bcc, problems, outgoingKind, replyTo, bodyTruncated, operatorName, error, quote, ...r }) => ({
      ...r,
      quote: quote ? (JSON.parse(quote) as Quote) : null,
      error: decodeFailure(error),
      operator: r.direction === 'out' ? operatorName : null,
      bodyTruncated: bodyTruncated === 1,
      kind: r.direction === 'in' ? 'incoming' : (outgoingKind ?? 'reply'),
      replyTo: divertingReplyTo(r.fromAddress, replyTo),
      bcc: JSON.parse(bcc) as string[],
      problems: JSON.parse(problems) as string[],
      hasOriginal: rawBlobKey !== null,
      attachments: byMessage.get(r.id) ?? [],
    }));
  }
}
