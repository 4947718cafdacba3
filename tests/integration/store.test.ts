import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { migrate, NewerSchemaError } from '../../main/store/migrate';
import { migrations } from '../../main/store/migrations';
import mailFields from '../../main/store/migrations/005_mail_fields';
import { ChannelsRepo } from '../../main/store/channels-repo';
import { ClientsRepo } from '../../main/store/clients-repo';
import { ConversationsRepo } from '../../main/store/conversations-repo';
import { MessagesRepo } from '../../main/store/messages-repo';
import { requests } from '../../preload/contract';
import { tempDir } from '../support/temp-dir';
import { incoming } from '../support/incoming';

const tmp = tempDir('postdesk-store-');
afterAll(() => tmp.cleanup());

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

describe('the SQLite store on a real file', () => {
  it('creates every table in WAL mode and records the schema version', () => {
    const file = path.join(tmp.dir, 'fresh.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['attachments', 'channels', 'clients', 'conversations', 'draft_attachments', 'drafts', 'imap_sync_state', 'messages']),
    );
    db.close();
  });

  it('keeps data across reopening and does not run a migration twice', () => {
    const file = path.join(tmp.dir, 'reopen.sqlite');
    let db = openDatabase(file);
    new ChannelsRepo(db).syncFromConfig([{ id: 'support', name: 'Support', address: 'support@example.test' }]);
    const client = new ClientsRepo(db).create({ name: 'Иванов Иван', email: 'Ivan@Example.test' });
    new ConversationsRepo(db).ensure(client.id, 'support');
    db.close();

    db = openDatabase(file);
    expect(new ClientsRepo(db).findByEmail('ivan@example.TEST')?.name).toBe('Иванов Иван');
    expect(new ConversationsRepo(db).list('active')).toEqual([
      expect.objectContaining({ clientName: 'Иванов Иван', channelName: 'Support', lastSubject: '', unread: false }),
    ]);
    db.close();
  });

  it('brings an older file forward one migration at a time', () => {
    const file = path.join(tmp.dir, 'older.sqlite');
    const db = new Database(file);
    const next = 'CREATE TABLE later_feature (id INTEGER PRIMARY KEY);';
    expect(migrate(db, migrations.slice(0, 1))).toBe(1);
    db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
    expect(migrate(db, [...migrations, next])).toBe(migrations.length + 1);
    expect(tables(db)).toContain('later_feature');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length + 1);
    // Rows written before a migration are still there after it.
    expect(db.prepare('SELECT name FROM channels').all()).toEqual([{ name: 'C' }]);
    db.close();
  });

  it('rolls a failing migration back whole', () => {
    const db = new Database(path.join(tmp.dir, 'failing.sqlite'));
    migrate(db);
    const broken = 'CREATE TABLE half_done (id INTEGER); THIS IS NOT SQL;';
    expect(() => migrate(db, [...migrations, broken])).toThrow();
    expect(tables(db)).not.toContain('half_done');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('refuses a file written by a newer Postdesk instead of going back', () => {
    const file = path.join(tmp.dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${migrations.length + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(NewerSchemaError);
  });

  it('brings rows stored before incoming mail was checked to the shapes the history promises', () => {
    const db = new Database(path.join(tmp.dir, 'unchecked.sqlite'));
    migrate(db, migrations.slice(0, migrations.indexOf(mailFields)));
    new ChannelsRepo(db).syncFromConfig([{ id: 'c', name: 'C', address: 'c@example.test' }]);
    const conversationId = new ConversationsRepo(db).ensure(new ClientsRepo(db).create({ name: 'A' }).id, 'c');
    const messages = new MessagesRepo(db);
    const types = ['image/jpeg', 'Image/PNG', 'image', 'false', 'a/b/c', 'text/plain; charset=x', 'application/vnd.ms-excel'];
    // Rows as a release of that schema wrote them: its SQL, not today's repository (which writes today's columns).
    const id = Number(
      db
        .prepare(
          `INSERT INTO messages (conversation_id, direction, status, from_address, to_address, subject, content_hash, raw_blob_key, created_at)
           VALUES (?, 'in', 'received', '', ?, 'Old mail', ?, ?, ?)`,
        )
        .run(conversationId, 'operator@example.test\r\nBcc: all@example.test', 'cd'.repeat(32), 'cd'.repeat(32), Date.now()).lastInsertRowid,
    );
    const attach = db.prepare(
      `INSERT INTO attachments (message_id, position, file_name, media_type, size, sha256, blob_key, content_id, inline) VALUES (?, ?, ?, ?, 1, ?, ?, NULL, 0)`,
    );
    types.forEach((mediaType, i) => attach.run(id, i, `f${i}`, mediaType, 'ab'.repeat(32), 'ab'.repeat(32)));
    migrate(db);
    const stored = messages.get(id)!;
    expect(stored.attachments.map((a) => a.mediaType)).toEqual([
      'image/jpeg',
      'image/png',
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
      'application/vnd.ms-excel',
    ]);
    expect(stored).toMatchObject({ fromAddress: null, toAddress: null });
    // It held the hash of the raw bytes, which raw_blob_key is; the content key is computed when needed.
    expect(db.prepare('SELECT content_hash AS hash FROM messages').get()).toEqual({ hash: null });
    // What conversations.open returns is checked against the contract on its way out.
    expect(() => requests['conversations.open'].output.parse({ messages: [{ ...stored, saveAllMode: 'zip' }], hasOlder: false })).not.toThrow();
    db.close();
  });

  it('pages history from the newest back, oldest first within a page, without gaps or repeats', () => {
    const db = openDatabase(path.join(tmp.dir, 'pages.sqlite'));
    new ChannelsRepo(db).syncFromConfig([{ id: 'c', name: 'C', address: 'c@example.test' }]);
    const conversationId = new ConversationsRepo(db).ensure(new ClientsRepo(db).create({ name: 'A' }).id, 'c');
    const messages = new MessagesRepo(db);
    // Two messages share a timestamp: the id breaks the tie, so paging cannot skip one.
    const times = [1000, 2000, 2000, 3000, 4000, 5000, 6000];
    for (const [i, createdAt] of times.entries()) {
      messages.insertIncoming(incoming(conversationId, { subject: `m${i}`, createdAt }));
    }
    const newest = messages.page(conversationId, { limit: 3 });
    expect(newest.messages.map((m) => m.subject)).toEqual(['m4', 'm5', 'm6']);
    expect(newest.hasOlder).toBe(true);
    const middle = messages.page(conversationId, { before: newest.messages[0]!.id, limit: 3 });
    expect(middle.messages.map((m) => m.subject)).toEqual(['m1', 'm2', 'm3']);
    const oldest = messages.page(conversationId, { before: middle.messages[0]!.id, limit: 3 });
    expect(oldest).toMatchObject({ hasOlder: false, messages: [{ subject: 'm0' }] });
    expect(messages.list(conversationId)).toHaveLength(7);
    db.close();
  });

  it('enforces the conversation status and one conversation per client and channel', () => {
    const db = openDatabase(path.join(tmp.dir, 'rules.sqlite'));
    new ChannelsRepo(db).syncFromConfig([{ id: 'c', name: 'C', address: 'c@example.test' }]);
    const client = new ClientsRepo(db).create({ name: 'A' });
    const conversations = new ConversationsRepo(db);
    const id = conversations.ensure(client.id, 'c');
    expect(conversations.ensure(client.id, 'c')).toBe(id);
    expect(() => db.prepare("UPDATE conversations SET status = 'archived' WHERE id = ?").run(id)).toThrow(/CHECK/);
    conversations.setStatus(id, 'completed');
    expect(conversations.list('active')).toEqual([]);
    expect(conversations.list('completed')).toHaveLength(1);
    db.close();
  });
});
