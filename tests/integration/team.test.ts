// A team on one mailbox (issue 11): two or three desks — Postdesk's own services, each with its
// own data dir and operator — on one real Dovecot mailbox, agreeing through the server alone.
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { DESKS_FOLDER } from '../../main/team/desk-board';
import { REPLYING } from '../../main/team/keywords';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR } from '../support/config-file';
import { openDesk, type Desk } from '../support/desk';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { queued } from '../support/queued';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { tempDir } from '../support/temp-dir';

interface Team {
  dovecot: Dovecot;
  smtp: SmtpServerHandle;
  config: Config;
  desks: Desk[];
  dir: string;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close().catch(() => undefined);
});

/** A fresh Dovecot and SMTP server, and one desk per name on the operator's mailbox. */
async function team(names: string[], channel: { sentCopy?: 'client' | 'server'; viaProxy?: string } = {}): Promise<Team & { proxy: TcpProxy | null }> {
  const tmp = tempDir('postdesk-team-');
  open.push(async () => tmp.cleanup());
  const dovecot = await startDovecot({ users: MAILBOX_USERS, maxUserConnections: 40 });
  open.push(() => dovecot.stop());
  const smtp = await startSmtpServer({ deliverTo: dovecot });
  open.push(() => smtp.stop());
  const configFor = (imapPort: number) =>
    configWith({
      channels: [{ ...channelFor({ dovecot: { ...dovecot, imapPort }, smtp }), sentMailbox: 'Sent', sentCopy: channel.sentCopy ?? 'client' }],
    });
  const config = configFor(dovecot.imapPort);
  let proxy: TcpProxy | null = null;
  const desks: Desk[] = [];
  for (const name of names) {
    let deskConfig = config;
    if (channel.viaProxy === name) {
      proxy = await startTcpProxy({ host: dovecot.host, port: dovecot.imapPort });
      open.push(() => proxy!.stop());
      deskConfig = configFor(proxy.port);
    }
    const desk = await openDesk(tmp.dir, deskConfig, name);
    open.push(() => desk.close());
    desks.push(desk);
  }
  return { dovecot, smtp, config, desks, dir: tmp.dir, proxy };
}

let counter = 0;
/** The client writes to the support mailbox (delivered like real mail); returns the Message-ID. */
async function clientWrites(dovecot: Dovecot, subject: string, extra: { inReplyTo?: string } = {}): Promise<string> {
  const messageId = `<client-${++counter}.${Date.now()}@client.test>`;
  const raw = await buildMessage({ from: `Иван Петров <${CLIENT.address}>`, to: OPERATOR.address, subject, messageId, ...extra });
  await deliverLmtp(dovecot, OPERATOR.address, raw);
  return messageId;
}

/** The client's conversation on the desk, once the desk has it. */
async function conversationOf(desk: Desk, incoming = 1): Promise<number> {
  let id: number | undefined;
  await desk.waitFor(`the client's ${incoming} message(s)`, () => {
    const row = desk.services.db
      .prepare(
        `SELECT c.id FROM conversations c JOIN clients cl ON cl.id = c.client_id
         WHERE lower(cl.email) = lower(?) AND (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.imap_uid IS NOT NULL) >= ?`,
      )
      .get(CLIENT.address, incoming) as { id: number } | undefined;
    id = row?.id;
    return id !== undefined;
  });
  return id!;
}

const status = (desk: Desk, conversationId: number) => desk.services.conversations.get(conversationId)?.status;
const outgoing = (desk: Desk, conversationId: number) => desk.services.messages.list(conversationId).filter((m) => m.direction === 'out');

async function reply(desk: Desk, conversationId: number, text: string, files: Array<{ name: string; bytes: Buffer }> = []) {
  const { drafts } = desk.services;
  const draft = drafts.open(conversationId);
  drafts.update(draft.id, { text });
  for (const f of files) await drafts.attachStream(draft.id, f.name, (await import('node:stream')).Readable.from([f.bytes]));
  return drafts.send(draft.id);
}

/** A connection of the test's own to the operator's mailbox, with `mailbox` open. */
async function imap(dovecot: Dovecot, mailbox: string): Promise<ImapFlow> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: OPERATOR.address, pass: OPERATOR.password }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  await client.mailboxCreate(mailbox);
  await client.mailboxOpen(mailbox);
  open.push(() => client.logout());
  return client;
}

async function copiesInSent(dovecot: Dovecot, messageId: string): Promise<number> {
  const client = await imap(dovecot, 'Sent');
  const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
  await client.logout();
  return found ? found.length : 0;
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]);

describe('a team on one mailbox', () => {
  it('files an answer from desk A on desk B within 2 s as Alice’s, and never shows a desk its own answer twice', async () => {
    const { dovecot, smtp, desks } = await team(['Alice', 'Bob']);
    const [alice, bob] = desks as [Desk, Desk];
    await clientWrites(dovecot, 'Where are my documents?');
    const onAlice = await conversationOf(alice);
    const onBob = await conversationOf(bob);

    const sent = queued(await reply(alice, onAlice, 'Here they are.', [{ name: 'Договор.pdf', bytes: PDF }]));
    await alice.waitFor('the answer to be sent', () => alice.heard('outbox.status').some((s) => s.messageId === sent.messageId && s.status === 'sent'));
    const sentAt = alice.events.find((e) => e.event === 'outbox.status' && (e.payload as { status: string }).status === 'sent')!.at;
    await bob.waitFor('the answer from Alice', () => bob.heard('mail.received').some((m) => m.direction === 'out'), 5000);
    const filedAt = bob.events.find((e) => e.event === 'mail.received' && (e.payload as { direction: string }).direction === 'out')!.at;
    expect(filedAt - sentAt).toBeLessThan(2000);

    const [answer] = outgoing(bob, onBob);
    expect(answer).toMatchObject({ operator: 'Alice', status: 'sent', text: 'Here they are.', kind: 'reply', toAddress: CLIENT.address });
    expect(answer!.attachments.map((a) => [a.fileName, a.size])).toEqual([['Договор.pdf', PDF.length]]);
    // What the client got names the channel, not the operator, and carries no team field.
    const [received] = await smtp.waitForMessages(1);
    const header = received!.raw.subarray(0, received!.raw.indexOf('\r\n\r\n')).toString('latin1');
    expect(header).toMatch(/^From: Support <operator@example\.test>/m);
    expect(header).not.toMatch(/Alice|X-Postdesk/i);

    // Alice's own Sent watcher sees the copy too, and knows it for hers.
    const messageId = alice.services.messages.outgoing(sent.messageId)!.messageId;
    await alice.waitFor('the Sent copy', () => alice.services.db.prepare(`SELECT sent_copy FROM messages WHERE id = ?`).pluck().get(sent.messageId) === 'done');
    await alice.services.team.sentSync('support')!.settled();
    expect(await copiesInSent(dovecot, messageId)).toBe(1);
    expect(outgoing(alice, onAlice)).toHaveLength(1);
    expect(outgoing(alice, onAlice)[0]).toMatchObject({ operator: 'Alice' });

    // And the other way round.
    queued(await reply(bob, onBob, 'And the invoice.'));
    await alice.waitFor('the answer from Bob', () => outgoing(alice, onAlice).length === 2, 5000);
    // In the order they were sent, though both may fall within one second (IMAP dates have whole seconds).
    expect(outgoing(alice, onAlice).map((m) => m.operator)).toEqual(['Alice', 'Bob']);
    expect(outgoing(alice, onAlice)[1]!.text?.trim()).toBe('And the invoice.');
    await bob.services.team.sentSync('support')!.settled();
    expect(outgoing(bob, onBob)).toHaveLength(2);
  });

  it('shares Complete: A’s reaches B, the client’s answer re-opens both in one thread, and B’s Return to Active reaches A', async () => {
    const { dovecot, desks } = await team(['Alice', 'Bob']);
    const [alice, bob] = desks as [Desk, Desk];
    const first = await clientWrites(dovecot, 'Question');
    const onAlice = await conversationOf(alice);
    const onBob = await conversationOf(bob);

    alice.services.conversationService.setStatus(onAlice, 'completed');
    await bob.waitFor('Completed from Alice', () => status(bob, onBob) === 'completed');
    expect(bob.heard('conversations.changed').some((c) => c.ids.includes(onBob))).toBe(true);

    await clientWrites(dovecot, 'Re: Question', { inReplyTo: first });
    await conversationOf(alice, 2);
    await conversationOf(bob, 2);
    await alice.waitFor('active again', () => status(alice, onAlice) === 'active');
    await bob.waitFor('active again', () => status(bob, onBob) === 'active');
    expect(alice.services.conversations.list('active').map((c) => c.id)).toEqual([onAlice]);

    alice.services.conversationService.setStatus(onAlice, 'completed');
    await bob.waitFor('Completed again', () => status(bob, onBob) === 'completed');
    bob.services.conversationService.setStatus(onBob, 'active');
    await alice.waitFor('Return to Active from Bob', () => status(alice, onAlice) === 'active');
  });

  it('50 simultaneous claims from three desks leave exactly one owner each time, and the losers know they lost', async () => {
    const { dovecot, desks } = await team(['Alice', 'Bob', 'Carol']);
    await clientWrites(dovecot, 'Who answers me?');
    const conversations = await Promise.all(desks.map((d) => conversationOf(d)));
    const winners: string[] = [];
    for (let race = 0; race < 50; race++) {
      const outcomes = await Promise.all(desks.map((d, i) => d.services.claims.claim(conversations[i]!)));
      const won = outcomes.flatMap((o, i) => (o.status === 'claimed' ? [i] : []));
      expect(won, `race ${race}: ${JSON.stringify(outcomes)}`).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'held')).toHaveLength(2);
      const winner = won[0]!;
      winners.push(desks[winner]!.name);
      if (race === 0) {
        // The losers learn who won from the winner's heartbeat.
        for (const [i, d] of desks.entries()) {
          if (i === winner) continue;
          await d.waitFor('the winner’s name', () => d.services.claims.otherClaim(conversations[i]!)?.operator === desks[winner]!.name);
        }
      }
      await Promise.all(desks.map((d, i) => d.services.claims.release(conversations[i]!)));
    }
    expect(winners).toHaveLength(50);
  });

  it('shows another operator’s live claim and asks before sending over it; Take over moves it; a quiet desk’s claim is stale and taken without asking', async () => {
    const { dovecot, desks, proxy } = await team(['Alice', 'Bob'], { viaProxy: 'Bob' });
    const [alice, bob] = desks as [Desk, Desk];
    await clientWrites(dovecot, 'Please call me');
    const onAlice = await conversationOf(alice);
    const onBob = await conversationOf(bob);

    // Alice starts typing: Bob sees her replying.
    alice.services.drafts.update(alice.services.drafts.open(onAlice).id, { text: 'Hello, I will' });
    await bob.waitFor('Alice is replying', () => bob.services.claims.otherClaim(onBob)?.operator === 'Alice');
    expect(bob.services.conversationService.summary(onBob).replying).toEqual({ operator: 'Alice', stale: false });
    expect(bob.heard('conversations.changed').some((c) => c.ids.includes(onBob))).toBe(true);
    expect(alice.services.claims.otherClaim(onAlice)).toBeNull();

    // Bob's Send asks first; nothing goes until he says so.
    const asked = await reply(bob, onBob, 'I am on it');
    expect(asked).toEqual({ status: 'confirm', replying: { operator: 'Alice', stale: false }, changes: [] });
    expect(outgoing(bob, onBob)).toEqual([]);

    // Take over: Bob's claim replaces Alice's, and Alice sees it.
    expect((await bob.services.conversationService.takeOver(onBob)).replying).toBeNull();
    await alice.waitFor('Bob is replying', () => alice.services.claims.otherClaim(onAlice)?.operator === 'Bob');
    const aliceAsks = await alice.services.drafts.send(alice.services.drafts.open(onAlice).id);
    expect(aliceAsks).toMatchObject({ status: 'confirm', replying: { operator: 'Bob' } });

    // Bob's desk goes quiet (its network is gone; a killed desk looks the same): no heartbeat
    // replaces his last one, his claim turns stale, and Alice sends without being asked.
    await proxy!.cut();
    await alice.waitFor('the claim to go stale', () => alice.services.claims.otherClaim(onAlice)?.stale === true, 10_000);
    expect(alice.services.conversationService.summary(onAlice).replying).toEqual({ operator: 'Bob', stale: true });
    expect(await alice.services.claims.claim(onAlice)).toEqual({ status: 'claimed' });
    queued(await alice.services.drafts.send(alice.services.drafts.open(onAlice).id));
  });

  it('takes a claim nobody explains (a desk that crashed long ago, its heartbeat left behind) as stale', async () => {
    const { dovecot, desks } = await team(['Alice']);
    const [alice] = desks as [Desk];
    await clientWrites(dovecot, 'Hello?');
    const conversation = await conversationOf(alice);
    const uid = alice.services.db.prepare('SELECT imap_uid FROM messages WHERE conversation_id = ?').pluck().get(conversation) as number;
    const uidValidity = alice.services.db.prepare(`SELECT uid_validity FROM imap_sync_state WHERE mailbox = 'INBOX'`).pluck().get() as number;
    // What a desk that died ten minutes ago leaves: the keyword, and its last heartbeat.
    const inbox = await imap(dovecot, 'INBOX');
    await inbox.messageFlagsAdd(String(uid), [REPLYING], { uid: true });
    const heartbeat = { desk: '11111111-2222-4333-8444-555555555555', operator: 'Ghost', at: Date.now() - 600_000, claims: [{ uid, uidValidity: String(uidValidity), since: Date.now() - 600_000 }] };
    const folder = await imap(dovecot, DESKS_FOLDER);
    await folder.append(DESKS_FOLDER, Buffer.from(`Subject: Postdesk desk\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(heartbeat)}\r\n`));
    // And two that are not heartbeats at all: never read as one.
    await folder.append(DESKS_FOLDER, Buffer.from('Subject: hello\r\n\r\n{"desk": "x"}\r\n'));
    await folder.append(DESKS_FOLDER, Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(200_000)}\r\n`));

    await alice.waitFor('the ghost’s stale claim', () => alice.services.claims.otherClaim(conversation)?.operator === 'Ghost');
    expect(alice.services.claims.otherClaim(conversation)).toEqual({ operator: 'Ghost', stale: true });
    expect(await alice.services.claims.claim(conversation)).toEqual({ status: 'claimed' });
    expect(alice.services.claims.otherClaim(conversation)).toBeNull();
  });
});
