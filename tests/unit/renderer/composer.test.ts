// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fail, ok, settled } from '../../support/fake-api';
import { draft, message } from './samples';
import { wiredStores } from './wired-stores';

/** The reply under conversation 1, with one message from the client above it. */
async function replying() {
  const wired = wiredStores();
  const { fake, stores } = wired;
  fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId })));
  fake.answer('drafts.update', ({ draftId, text }) => ok(draft({ id: draftId, text })));
  fake.answer('conversations.open', () => ok({ messages: [message({ id: 1 })], hasOlder: false }));
  await stores.history.getState().open(1);
  await stores.reply.open(1);
  return wired;
}

describe('the reply under the open conversation', () => {
  it('sent, it shows in the history at once and the field starts over with the focus', async () => {
    const { fake, stores } = await replying();
    fake.answer('drafts.send', () => ok({ status: 'queued', messageId: 2, conversationId: 1 }));
    fake.answer('conversations.open', () => ok({ messages: [message({ id: 1 }), message({ id: 2, direction: 'out', kind: 'reply', status: 'queued' })], hasOlder: false }));
    stores.composer.getState().type('Thank you');

    await stores.reply.send();

    expect(stores.history.getState().messages.map((m) => [m.id, m.status])).toEqual([
      [1, 'received'],
      [2, 'queued'],
    ]);
    expect(stores.composer.getState()).toMatchObject({ text: '', draft: { text: '' }, focusRequest: 1 });
  });

  it('refused, it stays in the field with the reason, and the history is not asked again', async () => {
    const { fake, stores } = await replying();
    fake.answer('drafts.send', () => fail('Alice took this conversation'));
    stores.composer.getState().type('Thank you');

    await stores.reply.send();

    expect(stores.composer.getState()).toMatchObject({ text: 'Thank you', error: 'Alice took this conversation', failedToSend: true, focusRequest: 0 });
    expect(fake.calls('conversations.open')).toHaveLength(1);
  });

  it('Send anyway sends past what main asked about', async () => {
    const { fake, stores } = await replying();
    fake.answer('drafts.send', ({ anyway }) =>
      ok(anyway ? { status: 'queued', messageId: 2, conversationId: 1 } : { status: 'confirm', replying: null, changes: [{ kind: 'client', name: 'Bob', at: 5 }] }),
    );

    await stores.reply.send();
    expect(stores.composer.getState().confirming?.changes).toEqual([{ kind: 'client', name: 'Bob', at: 5 }]);

    await stores.reply.send(true);
    expect(stores.composer.getState()).toMatchObject({ confirming: null, focusRequest: 1 });
    expect(fake.calls('drafts.send')).toEqual([
      { draftId: 1, to: 'client@example.com' },
      { draftId: 1, to: 'client@example.com', anyway: true },
    ]);
  });

  it("follows where the reply goes when the client writes again, not when another client does", async () => {
    const { fake, stores } = await replying();
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId, recipient: { name: 'Bob', address: 'bob@home.example' } })));
    fake.answer('conversations.list', () => ok([]));

    fake.emit('mail.received', { channelId: 'support', direction: 'in', conversationId: 2, messageId: 7 });
    await settled();
    expect(stores.composer.getState().draft?.recipient?.address).toBe('client@example.com');

    fake.emit('mail.received', { channelId: 'support', direction: 'in', conversationId: 1, messageId: 8 });
    await settled();
    expect(stores.composer.getState().draft?.recipient?.address).toBe('bob@home.example');
  });
});
