// The real-world test: every message of the shared corpus (tests/corpus/*.eml: real-world
// decoding cases and hostile ones) plus the hostile cases too large to commit, stored in a real
// Dovecot byte for byte and synced by the services as the app runs them. Every message must end
// up as a row (none dropped silently), the channel must end idle without ever going to error,
// and the hostile ones must carry the notes that say what was wrong with them.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import type { StoredMessageView } from '../../main/store/messages-repo';
import { channelFor, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { corpusFiles, deepNesting, hugeHeaderLine, manyAttachments, type CorpusMessage } from '../support/corpus';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { Receiver } from '../support/receiver';
import { tempDir } from '../support/temp-dir';

/** What each hostile case of ours must look like once stored; every other message must simply be there. */
const EXPECTED: Record<string, (m: StoredMessageView, byName: (name: string) => StoredMessageView) => void> = {
  'ingest-facejj-content-type.eml': (m) => {
    expect(m.attachments).toEqual([expect.objectContaining({ fileName: 'facejj.jpg', mediaType: 'image/jpeg' })]);
    expect(m.problems).toContain('the media type of attachment 1 could not be used (false), so it was stored as "image/jpeg"');
  },
  'ingest-duplicate-message-id-1.eml': (m) => expect(m.problems).toEqual([]),
  'ingest-duplicate-message-id-2.eml': (m, byName) => {
    expect(m.problems).toEqual(['another message with the same Message-ID "<issue@newsletter.test>" was stored before; both are kept']);
    expect(m.text).not.toBe(byName('ingest-duplicate-message-id-1.eml').text);
  },
  'ingest-stranger-references.eml': (m, byName) => {
    expect(m.problems).toContain(
      'it answers a message in another client’s conversation (In-Reply-To/References) but is not from that client, so it was filed under its own sender',
    );
    expect(m.conversationId).not.toBe(byName('ingest-client-message.eml').conversationId);
  },
  'ingest-headers-only.eml': (m) => expect(m).toMatchObject({ subject: 'only a header', fromAddress: 'client@example.test' }),
  // Dovecot serves each NUL as the byte 0x80, which the header reader takes as 8-bit text.
  'ingest-nul-in-headers.eml': (m) => expect(m).toMatchObject({ fromAddress: 'nul@sender.test', subject: expect.stringMatching(/^nul.? in the subject$/) }),
  'ingest-8bit-from.eml': (m) => expect(m).toMatchObject({ fromAddress: 'ivan@sender.test', fromName: 'Иван Петров', subject: 'Счёт' }),
  'ingest-empty.eml': (m) => expect(m).toMatchObject({ fromAddress: null, problems: ['the message is empty'] }),
  // How far the parser reads these is the parser's limits' business; stored, with notes, is ours.
  [hugeHeaderLine().name]: (m) => expect(m.problems.length).toBeGreaterThan(0),
  [manyAttachments().name]: (m) => expect(m.problems.length).toBeGreaterThan(0),
  [deepNesting().name]: (m) => expect(m.problems.length).toBeGreaterThan(0),
};

describe('the corpus, synced from a real Dovecot', () => {
  const tmp = tempDir('postdesk-corpus-');
  let dovecot: Dovecot;
  let config: Config;
  let receiver: Receiver | undefined;
  let corpus: CorpusMessage[];

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    config = loadConfig(writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp: { host: '127.0.0.1', port: 1 } })] })).config;
    corpus = [...corpusFiles(), hugeHeaderLine(), manyAttachments(), deepNesting()];
    // In order, into a fresh INBOX: the message of corpus[i] gets UID i + 1.
    for (const message of corpus) await dovecot.save(OPERATOR.address, message.raw);
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await dovecot?.stop();
    tmp.cleanup();
  });

  it('stores every message once, none dropped silently, the channel idle and never in error, the hostile ones with their notes', async () => {
    expect(corpus.filter((m) => m.name.startsWith('ingest-')).length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    receiver = await new Receiver(path.join(tmp.dir, 'data'), config).start();
    const r = receiver;
    const synced = () => (r.db.prepare('SELECT max(last_uid) AS uid FROM imap_sync_state').get() as { uid: number | null }).uid === corpus.length;
    await r.waitFor(() => synced() && r.states.at(-1)?.kind === 'idle', 240_000);

    const rows = r.db.prepare('SELECT id, imap_uid AS uid FROM messages ORDER BY imap_uid').all() as Array<{ id: number; uid: number }>;
    const missing = corpus.filter((_, i) => !rows.some((row) => row.uid === i + 1)).map((m) => m.name);
    expect(missing, 'messages not stored').toEqual([]);
    expect(rows).toHaveLength(corpus.length);
    expect(r.received).toHaveLength(corpus.length);
    expect(r.states.filter((s) => s.kind === 'error')).toEqual([]);
    expect(r.states.at(-1)).toEqual({ kind: 'idle' });

    const byName = (name: string) => {
      const uid = corpus.findIndex((m) => m.name === name) + 1;
      return r.messages.get(rows.find((row) => row.uid === uid)!.id)!;
    };
    for (const [name, check] of Object.entries(EXPECTED)) {
      expect(corpus.some((m) => m.name === name), `${name} is in the corpus`).toBe(true);
      try {
        check(byName(name), byName);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
      }
    }
  }, 300_000);
});
