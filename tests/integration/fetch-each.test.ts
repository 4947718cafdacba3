// fetchEach (main/mail/uid-ranges.ts) is how every listing of a folder reads it: the INBOX sync,
// the Completed marks, the desks' heartbeats, the shared templates. Against a real Dovecot, the
// FETCH answer carries rows nobody asked for when another session changed a flag meanwhile.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchEach } from '../../main/mail/uid-ranges';
import { CLIENT, MAILBOX_USERS, OPERATOR } from '../support/config-file';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';

describe('fetchEach', () => {
  let dovecot: Dovecot;
  const sessions: ImapFlow[] = [];
  const session = async () => {
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: OPERATOR.address, pass: OPERATOR.password }, logger: false });
    sessions.push(client);
    await client.connect();
    await client.mailboxOpen('INBOX');
    return client;
  };

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    for (const subject of ['one', 'two', 'three']) {
      await deliverLmtp(dovecot, OPERATOR.address, await buildMessage({ from: CLIENT.address, to: OPERATOR.address, subject, text: subject }));
    }
  });
  afterAll(async () => {
    for (const client of sessions) await client.logout().catch(() => client.close());
    await dovecot?.stop();
  });

  it('gives each message asked for once, and not the row the server adds for another session’s flag change', async () => {
    const reader = await session();
    const other = await session();
    await other.messageFlagsAdd('2', ['$PostdeskDone'], { uid: true });

    // What imapflow yields: the three rows asked for, and the server's own row for message 2, without a UID.
    const raw: { uid?: number; size?: number }[] = [];
    for await (const m of reader.fetch('1:*', { uid: true, size: true }, { uid: true })) raw.push({ uid: m.uid, size: m.size });
    expect(raw.filter((m) => !(m.uid! > 0))).toHaveLength(1);

    await other.messageFlagsAdd('3', ['$PostdeskDone'], { uid: true });
    const rows: { uid: number; size?: number }[] = [];
    for await (const m of fetchEach(reader, ['1:2', '2:*'], { uid: true, size: true }, { uid: true })) rows.push({ uid: m.uid, size: m.size });
    expect(rows.map((m) => m.uid)).toEqual([1, 2, 3]);
    expect(rows.every((m) => typeof m.size === 'number' && m.size > 0)).toBe(true);
  });
});
