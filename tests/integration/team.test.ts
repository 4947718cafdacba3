// A team on one mailbox (issue 11): two or three desks — Postdesk's own services, each with its
// own data dir and operator — on one real Dovecot mailbox, agreeing through the server alone.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { DESKS_FOLDER } from '../../main/team/desk-board';
import { REPLYING } from '../../main/team/keywords';
import { teamHeaderLines } from '../../main/team/team-headers';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { FAST_TEAM, openDesk, type Desk } from '../support/desk';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { queued } from '../support/queued';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { tempDir } from '../support/temp-dir';
import { hostApi, startHost } from '../support/web-host';

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
async function team(
  names: string[],
  channel: { sentCopy?: 'client' | 'server'; viaProxy?: string; withoutCondstore?: boolean } = {},
): Promise<Team & { proxy: TcpProxy | null }> {
  const tmp = tempDir('postdesk-team-');
  open.push(async () => tmp.cleanup());
  const dovecot = await startDovecot({ users: MAILBOX_USERS, maxUserConnections: 40, withoutCondstore: channel.withoutCondstore });
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

/** Alice's and Bob's desks, with the client's first mail on both. */
async function aliceAndBob(subject: string, channel: Parameters<typeof team>[1] = {}) {
  const t = await team(['Alice', 'Bob'], channel);
  const [alice, bob] = t.desks as [Desk, Desk];
  const first = await clientWrites(t.dovecot, subject);
  return { ...t, alice, bob, first, onAlice: await conversationOf(alice), onBob: await conversationOf(bob) };
}

/** Alice, Bob and Carol, with the client's first mail on each, once each desk holds a slot of its own. */
async function threeDesks(subject: string) {
  const t = await team(['Alice', 'Bob', 'Carol']);
  await clientWrites(t.dovecot, subject);
  const conversations = await Promise.all(t.desks.map((d) => conversationOf(d)));
  // Each desk holds a slot of its own once it has read the others' heartbeats (desks started
  // within the same second may share one for about as long): the claims race from then on.
  const slots = () => t.desks.map((d) => d.services.team.board('support')!.slot);
  await t.desks[0]!.waitFor('a slot for each desk', () => !slots().includes(null) && new Set(slots()).size === t.desks.length);
  return { ...t, conversations, slots };
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

/**
 * What a desk that died ten minutes ago leaves on the conversation's message: the claim keyword
 * in its slot, and its last heartbeat, which lists the claim.
 */
async function ghostClaim(dovecot: Dovecot, desk: Desk, conversation: number, slot: number): Promise<{ uid: number; inbox: ImapFlow }> {
  const uid = desk.services.db.prepare('SELECT imap_uid FROM messages WHERE conversation_id = ?').pluck().get(conversation) as number;
  const uidValidity = desk.services.db.prepare(`SELECT uid_validity FROM imap_sync_state WHERE mailbox = 'INBOX'`).pluck().get() as number;
  const inbox = await imap(dovecot, 'INBOX');
  await inbox.messageFlagsAdd(String(uid), [REPLYING, `$PostdeskDesk${slot}`], { uid: true });
  const heartbeat = { desk: '11111111-2222-4333-8444-555555555555', operator: 'Ghost', at: Date.now() - 600_000, slot, claims: [{ uid, uidValidity: String(uidValidity), since: Date.now() - 600_000 }] };
  const folder = await imap(dovecot, DESKS_FOLDER);
  await folder.append(DESKS_FOLDER, Buffer.from(`Subject: Postdesk desk\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(heartbeat)}\r\n`));
  return { uid, inbox };
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]);

describe('a team on one mailbox', () => {
  it('files an answer from desk A on desk B within 2 s as Alice’s, and never shows a desk its own answer twice', async () => {
    const { alice, bob, onAlice, onBob, dovecot, smtp } = await aliceAndBob('Where are my documents?');

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
    // In the order they were sent, though both may fall within one second (IMAP dates have whole seconds: the order stored breaks the tie).
    expect(outgoing(alice, onAlice).map((m) => m.operator)).toEqual(['Alice', 'Bob']);
    expect(outgoing(alice, onAlice)[1]!.text?.trim()).toBe('And the invoice.');
    await bob.services.team.sentSync('support')!.settled();
    expect(outgoing(bob, onBob)).toHaveLength(2);
  });

  it('shares Complete: A’s reaches B, the client’s answer re-opens both in one thread, and B’s Return to Active reaches A', async () => {
    const { alice, bob, onAlice, onBob, dovecot, first } = await aliceAndBob('Question');

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

  it('a new message to a client whose mail waits keeps the conversation Active on every desk, as on the one that sent it', async () => {
    const { alice, bob, onAlice, onBob } = await aliceAndBob('Unanswered question');
    const { drafts } = alice.services;
    const draft = drafts.openOutgoing(alice.services.conversations.get(onAlice)!.clientId, 'support');
    drafts.update(draft.id, { subject: 'About your question', text: 'We are on it.' });
    expect(drafts.view(draft.id).waiting).toEqual({ unread: true, unanswered: true });
    const sent = queued(await drafts.send(draft.id));
    expect(sent.conversationId).toBe(onAlice);
    expect(status(alice, onAlice)).toBe('active');

    await bob.waitFor('the new message from Alice', () => outgoing(bob, onBob).length === 1, 5000);
    expect(outgoing(bob, onBob)[0]).toMatchObject({ kind: 'new', operator: 'Alice' });
    expect(status(bob, onBob)).toBe('active');
  });

  it('50 simultaneous claims from three desks leave exactly one owner each time, and the losers know they lost', async () => {
    const { desks, conversations } = await threeDesks('Who answers me?');
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
    const { alice, bob, onAlice, onBob, proxy } = await aliceAndBob('Please call me', { viaProxy: 'Bob' });

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
    // replaces his last one, his claim turns stale, and Alice sends without being asked. Her
    // desk, where she is still writing, takes the claim at the read of the heartbeats that finds
    // it stale: the page is told of the stale claim just before (what it shows, as it is told).
    const shown: unknown[] = [];
    alice.services.events.subscribe((event, payload) => {
      if (event === 'conversations.changed' && (payload as { ids: number[] }).ids.includes(onAlice)) shown.push(alice.services.conversationService.summary(onAlice).replying);
    });
    await proxy!.cut();
    await alice.waitFor('the stale claim to be taken', () => alice.services.claims.otherClaim(onAlice) === null, 10_000);
    expect(shown).toContainEqual({ operator: 'Bob', stale: true });
    expect(alice.services.conversationService.summary(onAlice).replying).toBeNull();
    expect(await alice.services.claims.claim(onAlice)).toEqual({ status: 'claimed' });
    queued(await alice.services.drafts.send(alice.services.drafts.open(onAlice).id));
  });

  it('gives the claim to an operator who began writing while another held it, once the other lets go', async () => {
    const { alice, bob, onAlice, onBob } = await aliceAndBob('Anyone?');
    const aliceDraft = alice.services.drafts.open(onAlice);
    alice.services.drafts.update(aliceDraft.id, { text: 'Yes, me.' });
    await bob.waitFor('Alice is replying', () => bob.services.claims.otherClaim(onBob)?.operator === 'Alice');
    bob.services.drafts.update(bob.services.drafts.open(onBob).id, { text: 'Me too.' });
    await new Promise((r) => setTimeout(r, 500));
    expect(alice.services.claims.otherClaim(onAlice)).toBeNull(); // Alice still holds it

    queued(await alice.services.drafts.send(aliceDraft.id));
    await alice.waitFor('Bob is replying', () => alice.services.claims.otherClaim(onAlice)?.operator === 'Bob', 10_000);
  });

  it('takes a claim nobody explains (a desk that crashed long ago, its heartbeat left behind) as stale', async () => {
    const { dovecot, desks } = await team(['Alice']);
    const [alice] = desks as [Desk];
    await clientWrites(dovecot, 'Hello?');
    const conversation = await conversationOf(alice);
    await ghostClaim(dovecot, alice, conversation, 5);
    const folder = await imap(dovecot, DESKS_FOLDER);
    // And two that are not heartbeats at all: never read as one.
    await folder.append(DESKS_FOLDER, Buffer.from('Subject: hello\r\n\r\n{"desk": "x"}\r\n'));
    await folder.append(DESKS_FOLDER, Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(200_000)}\r\n`));

    await alice.waitFor('the ghost’s stale claim', () => alice.services.claims.otherClaim(conversation)?.operator === 'Ghost');
    expect(alice.services.claims.otherClaim(conversation)).toEqual({ operator: 'Ghost', stale: true });
    expect(await alice.services.claims.claim(conversation)).toEqual({ status: 'claimed' });
    expect(alice.services.claims.otherClaim(conversation)).toBeNull();
  });

  it('of three desks taking one stale claim at once, one wins, and the message carries its slot alone', async () => {
    const { dovecot, desks, conversations, slots } = await threeDesks('Hello?');
    // In a slot no live desk holds: each desk's takeover replaces it with its own (UID STORE FLAGS).
    const { uid, inbox } = await ghostClaim(dovecot, desks[0]!, conversations[0]!, [0, 1, 2, 3, 4, 5, 6, 7].find((s) => !slots().includes(s))!);
    for (const [i, d] of desks.entries()) {
      await d.waitFor('the ghost’s stale claim', () => d.services.claims.otherClaim(conversations[i]!)?.stale === true);
    }

    const outcomes = await Promise.all(desks.map((d, i) => d.services.claims.claim(conversations[i]!)));
    const won = outcomes.flatMap((o, i) => (o.status === 'claimed' ? [i] : []));
    expect(won, JSON.stringify(outcomes)).toHaveLength(1);
    const claimKeywords = async () => {
      await inbox.noop();
      const message = await inbox.fetchOne(String(uid), { flags: true }, { uid: true });
      return [...(message ? (message.flags ?? []) : [])].filter((f) => f.startsWith('$PostdeskDesk') || f === REPLYING).sort();
    };
    expect(await claimKeywords()).toEqual([`$PostdeskDesk${slots()[won[0]!]}`, REPLYING]);
    // And it is a claim like any other: let go (by all three, or the others, still writing, would
    // take it next), it leaves nothing behind.
    await Promise.all(desks.map((d, i) => d.services.claims.release(conversations[i]!)));
    expect(await claimKeywords()).toEqual([]);
  });

  it('a desk that cannot read the heartbeats takes no live claim for stale, however long it waits', async () => {
    const { alice, bob, onAlice, onBob } = await aliceAndBob('Still there?');
    // A desk claims once it holds its slot and its INBOX connection; before that it answers 'offline'.
    await alice.waitFor('Alice’s desk to be able to claim', () => alice.services.team.board('support')?.slot != null && Boolean(alice.services.mail.sync('support')?.client));
    expect(await alice.services.claims.claim(onAlice)).toEqual({ status: 'claimed' });
    await bob.waitFor('Alice is replying', () => bob.services.claims.otherClaim(onBob)?.operator === 'Alice');
    // Bob's desk stops reading the desks' folder (its connection to it is gone); Alice's desk
    // goes on writing her heartbeat. What Bob last read of her grows old, she does not.
    await bob.services.team.board('support')!.stop();
    await new Promise((r) => setTimeout(r, FAST_TEAM.staleMs + 1000));
    expect(bob.services.claims.otherClaim(onBob)).toEqual({ operator: 'Alice', stale: false });
    expect(await bob.services.claims.claim(onBob)).toEqual({ status: 'held', by: { operator: 'Alice', stale: false } });
    expect(alice.services.claims.otherClaim(onAlice)).toBeNull();
  });
});

describe('a team on one mailbox, when things go wrong', () => {
  it('applies a Complete made offline when the server is back; a newer client message beats a Complete made offline', async () => {
    const { alice, bob, onAlice, onBob, dovecot, proxy, first } = await aliceAndBob('Order 1', { viaProxy: 'Alice' });

    await proxy!.cut();
    await alice.waitFor('the team view to go offline', () => alice.services.channels.view('support').team === 'offline');
    alice.services.conversationService.setStatus(onAlice, 'completed');
    expect(status(alice, onAlice)).toBe('completed'); // at once, here
    await new Promise((r) => setTimeout(r, 1000));
    expect(status(bob, onBob)).toBe('active'); // not yet there
    await proxy!.restore();
    await bob.waitFor('the Complete made offline', () => status(bob, onBob) === 'completed', 10_000);
    await alice.waitFor('the team view to be live', () => alice.services.channels.view('support').team === 'live');

    // Offline again, Alice re-opens and completes; meanwhile the client writes: the client wins.
    await proxy!.cut();
    await alice.waitFor('offline', () => alice.services.channels.view('support').team === 'offline');
    alice.services.conversationService.setStatus(onAlice, 'active');
    alice.services.conversationService.setStatus(onAlice, 'completed');
    await clientWrites(dovecot, 'Re: Order 1', { inReplyTo: first });
    await bob.waitFor('the client’s new mail', () => status(bob, onBob) === 'active');
    await proxy!.restore();
    await conversationOf(alice, 2);
    await alice.waitFor('active, as the client wrote after the Complete', () => status(alice, onAlice) === 'active');
    await alice.waitFor('nothing left to send', () => alice.services.db.prepare('SELECT count(*) FROM team_changes').pluck().get() === 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(status(bob, onBob)).toBe('active');
    expect(status(alice, onAlice)).toBe('active');
  });

  it('resyncs after a UIDVALIDITY change without a duplicate, and Completed still follows', async () => {
    const { dovecot, desks } = await team(['Alice', 'Bob']);
    const [alice, bob] = desks as [Desk, Desk];
    await clientWrites(dovecot, 'One');
    await clientWrites(dovecot, 'Two');
    const onAlice = await conversationOf(alice, 2);
    const onBob = await conversationOf(bob, 2);
    alice.services.conversationService.setStatus(onAlice, 'completed');
    await bob.waitFor('Completed', () => status(bob, onBob) === 'completed');

    await dovecot.doveadm('mailbox', 'update', '--uid-validity', String(Math.floor(Date.now() / 1000) + 7), '-u', OPERATOR.address, 'INBOX');
    await dovecot.doveadm('kick', OPERATOR.address);
    const validity = (d: Desk) => d.services.db.prepare(`SELECT uid_validity FROM imap_sync_state WHERE mailbox = 'INBOX'`).pluck().get();
    const before = validity(alice);
    await alice.waitFor('the new UIDVALIDITY', () => validity(alice) !== before);
    await bob.waitFor('the new UIDVALIDITY', () => validity(bob) !== before);
    await conversationOf(alice, 2);
    await conversationOf(bob, 2);
    for (const d of [alice, bob]) expect(d.services.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(2);

    bob.services.conversationService.setStatus(onBob, 'active');
    await alice.waitFor('Return to Active from Bob', () => status(alice, onAlice) === 'active');
    expect(status(bob, onBob)).toBe('active');
  });

  it('with a server that files its own Sent copy (sentCopy "server") no answer is doubled, nor when both file one', async () => {
    const { alice, bob, onAlice, onBob, dovecot, smtp } = await aliceAndBob('Gmail style', { sentCopy: 'server' });
    const { messageId } = queued(await reply(alice, onAlice, 'Answer one'));
    const [received] = await smtp.waitForMessages(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await copiesInSent(dovecot, alice.services.messages.outgoing(messageId)!.messageId)).toBe(0); // Postdesk appended nothing

    // The server files what it relayed (as Gmail does), twice over even: one answer on every desk.
    const sent = await imap(dovecot, 'Sent');
    await sent.append('Sent', received!.raw, ['\\Seen']);
    await bob.waitFor('the server’s copy', () => outgoing(bob, onBob).length === 1);
    await sent.append('Sent', received!.raw, ['\\Seen']);
    await alice.services.team.sentSync('support')!.settled();
    await new Promise((r) => setTimeout(r, 1200));
    await bob.services.team.sentSync('support')!.settled();
    expect(outgoing(bob, onBob)).toHaveLength(1);
    expect(outgoing(bob, onBob)[0]).toMatchObject({ operator: null, status: 'sent' });
    expect(outgoing(alice, onAlice)).toHaveLength(1);
    expect(outgoing(alice, onAlice)[0]).toMatchObject({ operator: 'Alice' });
  });

  it('Send says what changed since the operator started writing: the client’s new mail, another operator’s answer', async () => {
    const { alice, bob, onAlice, onBob, dovecot, first } = await aliceAndBob('Refund?');
    const draft = alice.services.drafts.open(onAlice);
    alice.services.drafts.update(draft.id, { text: 'Let me check.' });
    await clientWrites(dovecot, 'Re: Refund?', { inReplyTo: first });
    await conversationOf(bob, 2);
    // Bob answers too (over Alice's claim: he was told and sent anyway).
    const bobDraft = bob.services.drafts.open(onBob);
    bob.services.drafts.update(bobDraft.id, { text: 'Refund is on its way.' });
    queued(await bob.services.drafts.send(bobDraft.id, undefined, true));
    await alice.waitFor('Bob’s answer', () => outgoing(alice, onAlice).length === 1);

    const asked = await alice.services.drafts.send(draft.id);
    expect(asked).toMatchObject({
      status: 'confirm',
      replying: null,
      changes: [
        { kind: 'client', name: 'Иван Петров' },
        { kind: 'operator', name: 'Bob' },
      ],
    });
    expect(outgoing(alice, onAlice)).toHaveLength(1);
    queued(await alice.services.drafts.send(draft.id, undefined, true));
    // The next reply starts afresh: nothing to ask.
    const next = alice.services.drafts.open(onAlice);
    alice.services.drafts.update(next.id, { text: 'One more thing.' });
    queued(await alice.services.drafts.send(next.id));
  });

  it('a desk killed between the SMTP send and the Sent append appends on its next start, and nothing is doubled', async () => {
    const { dovecot, smtp, config, desks, dir } = await team(['Bob']);
    const [bob] = desks as [Desk];
    await clientWrites(dovecot, 'Documents, please');
    const onBob = await conversationOf(bob);
    // Alice's desk is the browser host, a process of its own, so that it can really be killed.
    const configFile = writeConfig(dir, { ...config, operator: { name: 'Alice' } }, 'alice.json');
    const dataDir = path.join(dir, 'alice-host');
    const start = async (kill: boolean) => {
      const host = await startHost({ config: configFile, dataDir, env: kill ? { POSTDESK_TEST_KILL_AFTER_SEND: '1' } : {} });
      open.push(() => host.stop());
      return host;
    };
    /** Alice answers through her page's API; the host dies the moment the SMTP server accepts. */
    const answerAndDie = async (text: string) => {
      const host = await start(true);
      const api = hostApi(host, await host.sessionCookie());
      let conversations: Array<{ id: number }> = [];
      while (conversations.length === 0) conversations = await api.value('conversations.list', { status: 'active' });
      const draft = await api.value('drafts.open', { conversationId: conversations[0]!.id });
      await api.value('drafts.update', { draftId: draft.id, text });
      const died = once(host.process, 'exit');
      expect(await api.value('drafts.send', { draftId: draft.id })).toMatchObject({ status: 'queued' });
      // tsx runs the host in a child of its own and passes its death on as the exit code 128 + 9.
      const [code, signal] = (await died) as [number | null, string | null];
      expect(signal ?? code).toBe(signal === null ? 137 : 'SIGKILL');
    };
    const messageIdOf = (raw: Buffer) => /^Message-ID: (<[^>]+>)/im.exec(raw.toString('latin1'))![1]!;
    const sentCopyOf = (messageId: string) => {
      const db = new Database(path.join(dataDir, 'postdesk.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT sent_copy AS step, sent_copy_blob AS blob, operator_name AS operator, operator_desk AS desk, created_at AS at FROM messages WHERE message_id = ?').get(messageId) as
          | { step: string; blob: string | null; operator: string; desk: string; at: number }
          | undefined;
      } finally {
        db.close();
      }
    };

    await answerAndDie('Here they are.');
    const [first] = await smtp.waitForMessages(1);
    const firstId = messageIdOf(first!.raw);
    expect(sentCopyOf(firstId)?.step).toBe('pending');
    expect(await copiesInSent(dovecot, firstId)).toBe(0);
    expect(outgoing(bob, onBob)).toEqual([]);
    // The next start appends it: the team sees the answer, once; the client got it once.
    const restarted = await start(false);
    await bob.waitFor('Alice’s answer', () => outgoing(bob, onBob).length === 1, 20_000);
    expect(outgoing(bob, onBob)[0]).toMatchObject({ operator: 'Alice', status: 'sent' });
    await bob.waitFor('the step noted', () => sentCopyOf(firstId)?.step === 'done');
    expect(await copiesInSent(dovecot, firstId)).toBe(1);
    expect(smtp.received).toHaveLength(1);
    await restarted.stop();

    // Killed after the append but before noting it: the next start finds the copy and appends none.
    await answerAndDie('And the invoice.');
    const [, second] = await smtp.waitForMessages(2);
    const secondId = messageIdOf(second!.raw);
    const pending = sentCopyOf(secondId)!;
    expect(pending.step).toBe('pending');
    const blobFile = path.join(dataDir, 'blobs', pending.blob!.slice(0, 2), pending.blob!.slice(2));
    const copy = Buffer.concat([teamHeaderLines({ operator: pending.operator, deskId: pending.desk }), readFileSync(blobFile)]);
    const sent = await imap(dovecot, 'Sent');
    await sent.append('Sent', copy, ['\\Seen'], new Date(pending.at));
    await start(false);
    await bob.waitFor('the second answer', () => outgoing(bob, onBob).length === 2, 20_000);
    await bob.waitFor('the step noted', () => sentCopyOf(secondId)?.step === 'done', 20_000);
    expect(await copiesInSent(dovecot, secondId)).toBe(1);
    expect(outgoing(bob, onBob).map((m) => m.operator)).toEqual(['Alice', 'Alice']);
    expect(smtp.received).toHaveLength(2);
  }, 90_000);

  it('merges a copy the server files besides Postdesk’s own (sentCopy "client" on a server that files one too)', async () => {
    const { alice, bob, onAlice, onBob, dovecot, smtp } = await aliceAndBob('Both copies');
    const { messageId } = queued(await reply(alice, onAlice, 'One answer'));
    const [received] = await smtp.waitForMessages(1);
    await bob.waitFor('Alice’s copy', () => outgoing(bob, onBob).length === 1);
    const sent = await imap(dovecot, 'Sent');
    await sent.append('Sent', received!.raw, ['\\Seen']);
    await new Promise((r) => setTimeout(r, 1200));
    await bob.services.team.sentSync('support')!.settled();
    await alice.services.team.sentSync('support')!.settled();
    expect(await copiesInSent(dovecot, alice.services.messages.outgoing(messageId)!.messageId)).toBe(2);
    expect(outgoing(bob, onBob)).toHaveLength(1);
    expect(outgoing(bob, onBob)[0]).toMatchObject({ operator: 'Alice' });
    expect(outgoing(alice, onAlice)).toHaveLength(1);
  });

  it('on a server without CONDSTORE makes no claim at all (and says so), and Completed is still shared', async () => {
    const { alice, bob, onAlice, onBob } = await aliceAndBob('Old server', { withoutCondstore: true });
    await alice.waitFor('the channel to say so', () => alice.services.channels.view('support').claims === 'unavailable');
    expect(await alice.services.claims.claim(onAlice)).toEqual({ status: 'unsupported' });
    alice.services.drafts.update(alice.services.drafts.open(onAlice).id, { text: 'No lock here' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(bob.services.claims.otherClaim(onBob)).toBeNull();

    alice.services.conversationService.setStatus(onAlice, 'completed');
    await bob.waitFor('Completed from Alice', () => status(bob, onBob) === 'completed');
    bob.services.conversationService.setStatus(onBob, 'active');
    await alice.waitFor('Return to Active from Bob', () => status(alice, onAlice) === 'active');
  });
});
