// Writing answers (issue 12, item 4) through real servers: a reply quotes the client's message
// and carries the signatures in what the client receives; templates come from the config and,
// on a team's channel, from a folder on the mail server every desk reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { TEMPLATES_FOLDER } from '../../main/compose/templates';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR } from '../support/config-file';
import { openDesk, type Desk } from '../support/desk';
import { deliverLmtp, startDovecot, type Dovecot } from '../support/dovecot';
import { buildMessage } from '../support/mail-builder';
import { queued } from '../support/queued';
import { PDF, PNG } from '../support/sample-files';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';

describe('writing answers', () => {
  const tmp = tempDir('postdesk-writing-');
  let dovecot: Dovecot;
  let smtp: SmtpServerHandle;
  let config: Config;
  const desks: Desk[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS, maxUserConnections: 40 });
    smtp = await startSmtpServer({ deliverTo: dovecot });
    const files = path.join(tmp.dir, 'files');
    mkdirSync(files);
    writeFileSync(path.join(files, 'Прайс-лист.pdf'), PDF);
    config = configWith({
      channels: [{ ...channelFor({ dovecot, smtp }), sentMailbox: 'Sent', signature: 'ACME Support\n+7 999 000-00-00' }],
      operator: { signature: 'Anna' },
      templates: [{ name: 'Prices', text: 'Our price list is attached.', files: [path.join(files, 'Прайс-лист.pdf')] }],
    });
    await deliverLmtp(dovecot, OPERATOR.address, await buildMessage({ from: `Иван Петров <${CLIENT.address}>`, to: OPERATOR.address, subject: 'Prices?', text: 'Could you send\nyour prices?' }));
    for (const name of ['Alice', 'Bob']) desks.push(await openDesk(tmp.dir, config, name));
  });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await smtp?.stop();
    await dovecot?.stop();
    tmp.cleanup();
  });

  const conversationOf = async (desk: Desk) => {
    await desk.waitFor('the client’s mail', () => desk.services.conversations.list('active').length === 1);
    return desk.services.conversations.list('active')[0]!.id;
  };

  it('quotes the client’s message and signs the reply: the operator’s lines, then the channel’s', async () => {
    const [alice] = desks as [Desk];
    const conversationId = await conversationOf(alice);
    const draft = alice.services.drafts.open(conversationId);
    expect(draft.signature).toBe('Anna\nACME Support\n+7 999 000-00-00');
    expect(draft.quote).toMatchObject({ attribution: expect.stringMatching(/, Иван Петров wrote:$/), text: 'Could you send\nyour prices?' });

    // The operator's own signature, written in the app, replaces the config's.
    alice.services.settings.signature = 'Anna Smirnova';
    alice.services.drafts.update(draft.id, { text: 'Here they are.' });
    queued(await alice.services.drafts.send(draft.id, undefined, true));
    const [sent] = await smtp.waitForMessages(1);
    const mail = await simpleParser(sent!.raw);
    expect(mail.text).toMatch(/^Here they are\.\n\n-- \nAnna Smirnova\nACME Support\n\+7 999 000-00-00\n\n.*Иван Петров wrote:\n> Could you send\n> your prices\?\n?$/);
    expect(mail.html).toContain('<blockquote type="cite"');
    expect(mail.html).toContain('Could you send\nyour prices?');
    // The history shows what the operator wrote and signed; the quote is kept beside it.
    const [, answer] = alice.services.messages.list(conversationId);
    expect(answer).toMatchObject({ text: 'Here they are.\n\n-- \nAnna Smirnova\nACME Support\n+7 999 000-00-00', quote: { text: 'Could you send\nyour prices?' } });
  });

  it('inserts a config template with its file, and shares a saved one with the other desk through the mail server', async () => {
    const [alice, bob] = desks as [Desk, Desk];
    const onAlice = await conversationOf(alice);
    const draft = alice.services.drafts.open(onAlice);
    const listed = await alice.services.templates.listFor(draft.id);
    expect(listed).toEqual([{ id: 'config:0', name: 'Prices', text: 'Our price list is attached.', files: ['Прайс-лист.pdf'], shared: false }]);
    const withFile = await alice.services.templates.attachTo(draft.id, 'config:0');
    expect(withFile.files).toMatchObject([{ fileName: 'Прайс-лист.pdf', size: PDF.length, problem: null }]);

    // Alice saves a reply of hers for the team: text and a picture.
    alice.services.drafts.update(draft.id, { text: 'Thank you for waiting.\nBest regards' });
    alice.services.drafts.remove(draft.id, withFile.files[0]!.id);
    const { Readable } = await import('node:stream');
    await alice.services.drafts.attachStream(draft.id, 'map.png', Readable.from([PNG]));
    await alice.services.templates.saveFrom(draft.id, 'Thanks for waiting');

    // Bob's desk lists it from the server and inserts it, file and all.
    const onBob = await conversationOf(bob);
    const bobDraft = bob.services.drafts.open(onBob);
    const bobs = await bob.services.templates.listFor(bobDraft.id);
    const shared = bobs.find((t) => t.name === 'Thanks for waiting')!;
    expect(shared).toMatchObject({ text: 'Thank you for waiting.\nBest regards', files: ['map.png'], shared: true });
    expect(shared.id.startsWith('team:')).toBe(true);
    const bobWithFile = await bob.services.templates.attachTo(bobDraft.id, shared.id);
    expect(bobWithFile.files).toMatchObject([{ fileName: 'map.png', size: PNG.length, problem: null }]);
    expect(bobs.map((t) => t.name)).toEqual(['Prices', 'Thanks for waiting']);
    // On the server: one message in the folder.
    expect(await dovecot.doveadm('mailbox', 'status', '-u', OPERATOR.address, 'messages', TEMPLATES_FOLDER)).toMatch(/messages=1/);
  });
});
