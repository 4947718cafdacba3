// Where a reply goes, end to end below the page: real mail parsed and stored in a real SQLite
// file, the draft's To line and Reply-To choice through the contract's own door, and the send
// checked at a real SMTP server's envelope and headers.
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { createHandlers } from '../../main/ipc/handlers';
import { dispatch } from '../../main/ipc/dispatch';
import { openServices, type Services } from '../../main/services';
import { buildMessage } from '../support/mail-builder';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';
import { queued } from '../support/queued';

const CLIENT = 'ivan@example.test';
const OTHER = 'collector@elsewhere.test';
const tmp = tempDir('postdesk-reply-to-');
let smtp: SmtpServerHandle;
let services: Services;
let dataDir = '';
let dirs = 0;
let clock = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
  tmp.cleanup();
});
afterEach(async () => {
  await services?.close();
});

function open(dir: string): Promise<Services> {
  const config = configWith({
    channels: [
      {
        id: 'c', name: 'Support', address: 'operator@example.test',
        // IMAP is never contacted (mail is fed to ingest directly); SMTP is the test's server.
        imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        smtp: { host: smtp.host, port: smtp.port, tls: 'none', password: 'x' },
      },
    ],
  });
  return openServices({ config, dataDir: dir, lang: 'en', version: 'test', startMail: false, sendRetry: { firstDelayMs: 20, maxDelayMs: 50 } });
}

async function freshDesk(): Promise<void> {
  dataDir = `${tmp.dir}/desk-${++dirs}`;
  services = await open(dataDir);
}

/** A restart of the app on the same data directory. */
async function restart(): Promise<void> {
  await services.close();
  services = await open(dataDir);
}

/** A client's mail, as real bytes through the real parser; returns its conversation. */
async function clientWrites(raw: Buffer | string): Promise<number> {
  const id = await services.ingest.ingest('c', Buffer.from(raw), { receivedAt: (clock += 60_000) });
  if (id === null) throw new Error('the mail was taken as already stored');
  return services.messages.get(id)!.conversationId;
}

function mailWith(headers: string[], body = 'Please send the contract.'): string {
  return [...headers, `Message-ID: <m-${++clock}@example.test>`, 'Subject: Contract', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}

const call = (channel: string, input: unknown) => dispatch(createHandlers(services), channel, input, () => 'ref0');

async function sent(messageId: number) {
  await expect.poll(() => services.messages.get(messageId)?.status, { timeout: 20_000 }).toBe('sent');
  return smtp.received.find((m) => m.raw.includes(services.messages.outgoing(messageId)!.messageId))!;
}

describe('the reply shows and keeps where it goes', () => {
  it('offers both addresses of a mail whose Reply-To is not its From, sends to the From unless told, and to exactly the chosen one', async () => {
    await freshDesk();
    const conversationId = await clientWrites(await buildMessage({ from: `Иван Петров <${CLIENT}>`, replyTo: OTHER, to: 'operator@example.test', subject: 'Contract' }));
    const draft = services.drafts.open(conversationId);
    expect(draft.recipient).toEqual({ name: 'Иван Петров', address: CLIENT });
    expect(draft.replyToChoice).toEqual({ from: CLIENT, replyTo: OTHER, chosen: 'from' });
    // The history says so too, under the sender.
    expect(services.messages.list(conversationId).map((m) => m.replyTo)).toEqual([[OTHER]]);

    // The door refuses an address that is not one of the two, whatever its shape.
    for (const address of ['someone@else.test', `${CLIENT}, ${OTHER}`, '', 'x'.repeat(321), 42]) {
      expect(await call('drafts.chooseRecipient', { draftId: draft.id, address })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(services.drafts.view(draft.id).replyToChoice?.chosen).toBe('from');

    // Chosen in another case: stored as the mail wrote it, and kept across a restart.
    const chosen = await call('drafts.chooseRecipient', { draftId: draft.id, address: OTHER.toUpperCase() });
    expect(chosen).toMatchObject({ ok: true, value: { recipient: { name: null, address: OTHER }, replyToChoice: { chosen: 'reply-to' } } });
    await restart();
    expect(services.drafts.open(conversationId)).toMatchObject({ recipient: { address: OTHER }, replyToChoice: { from: CLIENT, replyTo: OTHER, chosen: 'reply-to' } });

    services.outbox.start();
    services.drafts.update(draft.id, { text: 'The contract is attached.' });
    const { messageId } = queued(await services.drafts.send(draft.id, OTHER));
    const mail = await sent(messageId);
    expect(mail.to).toEqual([OTHER]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([OTHER]);
    expect(mail.raw.toString('latin1')).not.toContain(CLIENT);
    // The history shows the reply's To as it was sent.
    expect(services.messages.get(messageId)).toMatchObject({ direction: 'out', toAddress: OTHER, replyTo: [] });

    // The next reply starts from the client's own address again; the warning stays.
    expect(services.drafts.open(conversationId)).toMatchObject({ recipient: { address: CLIENT }, replyToChoice: { chosen: 'from' } });
    services.drafts.update(draft.id, { text: 'And the invoice.' });
    const { messageId: second } = queued(await services.drafts.send(draft.id, CLIENT));
    expect((await sent(second)).to).toEqual([CLIENT]);
  });

  it('asks again when the client writes with another Reply-To, goes back to From when a mail has none, and refuses a send to where the page no longer points', async () => {
    await freshDesk();
    const conversationId = await clientWrites(mailWith([`From: Ivan <${CLIENT}>`, `Reply-To: ${OTHER}`]));
    const draft = services.drafts.open(conversationId);
    services.drafts.chooseRecipient(draft.id, OTHER);
    services.drafts.update(draft.id, { text: 'Here you are.' });

    // The client writes again, asking for yet another address: nothing carries over.
    await clientWrites(mailWith([`From: Ivan <${CLIENT}>`, 'Reply-To: second@elsewhere.test']));
    expect(services.drafts.view(draft.id)).toMatchObject({
      recipient: { address: CLIENT },
      replyToChoice: { from: CLIENT, replyTo: 'second@elsewhere.test', chosen: 'from' },
    });
    // The page still showing the old choice cannot send there, nor choose it any more.
    await expect(services.drafts.send(draft.id, OTHER)).rejects.toThrow(`would now go to ${CLIENT}, not ${OTHER}`);
    expect(() => services.drafts.chooseRecipient(draft.id, OTHER)).toThrow(/not to collector@elsewhere\.test/);
    expect(services.messages.list(conversationId).filter((m) => m.direction === 'out')).toEqual([]);
    expect(services.drafts.view(draft.id).text).toBe('Here you are.');

    services.drafts.chooseRecipient(draft.id, 'second@elsewhere.test');
    // A mail without Reply-To: the choice is gone, the reply goes to From.
    await clientWrites(mailWith([`From: Ivan <${CLIENT}>`]));
    expect(services.drafts.view(draft.id)).toMatchObject({ recipient: { name: 'Ivan', address: CLIENT }, replyToChoice: null });
    services.outbox.start();
    // The client wrote twice since the operator started: Send says so first, and goes on when told to.
    const asked = await services.drafts.send(draft.id, CLIENT);
    expect(asked).toMatchObject({ status: 'confirm', replying: null, changes: [{ kind: 'client', name: 'Ivan' }, { kind: 'client', name: 'Ivan' }] });
    const { messageId } = queued(await services.drafts.send(draft.id, CLIENT, true));
    expect((await sent(messageId)).to).toEqual([CLIENT]);
  });

  it('takes a Reply-To that only repeats From (any case, or among others) and odd Reply-To headers as they really are', async () => {
    await freshDesk();
    const cases: Array<{ replyTo: string; choice: string | null; history: string[] }> = [
      // The same mailbox in another case: no warning, nothing to show.
      { replyTo: 'IVAN@Example.TEST', choice: null, history: [] },
      // A list that starts with the client: the other address is still offered, and all are shown.
      { replyTo: `Ivan <${CLIENT}>, ${OTHER}`, choice: OTHER, history: [CLIENT, OTHER] },
      // A display name made to look like the client's address: only the real address counts.
      { replyTo: `"${CLIENT}" <${OTHER}>`, choice: OTHER, history: [OTHER] },
      // No address at all (an empty group, a word): nothing to choose, nothing shown.
      { replyTo: 'undisclosed-recipients:;', choice: null, history: [] },
      { replyTo: 'nobody', choice: null, history: [] },
    ];
    for (const c of cases) {
      const conversationId = await clientWrites(mailWith([`From: Ivan <${CLIENT}>`, `Reply-To: ${c.replyTo}`]));
      const view = services.drafts.open(conversationId);
      expect({ replyTo: c.replyTo, recipient: view.recipient, choice: view.replyToChoice?.replyTo ?? null }).toEqual({
        replyTo: c.replyTo,
        recipient: { name: 'Ivan', address: CLIENT },
        choice: c.choice,
      });
      expect(services.messages.list(conversationId).at(-1)!.replyTo).toEqual(c.history);
    }
  });

  it('never answers mail from the channel’s own address that threaded in: the reply still goes to the client', async () => {
    await freshDesk();
    const clientMail = `From: Ivan <${CLIENT}>\r\nMessage-ID: <own-test-1@example.test>\r\nSubject: Contract\r\n\r\nPlease send it.\r\n`;
    const conversationId = await clientWrites(clientMail);
    // Our own copy of an answer coming back into the mailbox (a BCC to ourselves, a server rule).
    const ownCopy = `From: Support <operator@example.test>\r\nTo: ${CLIENT}\r\nMessage-ID: <own-test-2@example.test>\r\nIn-Reply-To: <own-test-1@example.test>\r\nReferences: <own-test-1@example.test>\r\nSubject: Re: Contract\r\n\r\nHere it is.\r\n`;
    expect(await clientWrites(ownCopy)).toBe(conversationId);
    expect(services.drafts.open(conversationId).recipient).toEqual({ name: 'Ivan', address: CLIENT });
  });

  it('gives a new message the client’s address and nothing to choose', async () => {
    await freshDesk();
    const client = services.clients.create({ name: 'Anna', email: 'anna@example.test' });
    const draft = services.drafts.openOutgoing(client.id, 'c');
    expect(draft).toMatchObject({ recipient: { name: 'Anna', address: 'anna@example.test' }, replyToChoice: null });
    expect(await call('drafts.chooseRecipient', { draftId: draft.id, address: 'anna@example.test' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
