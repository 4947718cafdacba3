// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { failure } from '../../../common/failure';
import type { HistoryPage, MessageView, Result } from '../../../preload/contract';
import { createHistoryStore } from '../../../renderer/stores/history';
import { createFakeApi, fail, later, ok, settled } from '../../support/fake-api';
import { message } from './samples';
import { wiredStores } from './wired-stores';

const page = (messages: MessageView[], hasOlder = false): Result<HistoryPage> => ok({ messages, hasOlder });

/** The history alone, with an Edit that only records what it was asked. */
function history() {
  const fake = createFakeApi();
  const edited = vi.fn(async () => {});
  return { fake, edited, history: createHistoryStore(fake.api, { opened: edited }) };
}

describe('the history of the open conversation', () => {
  it('opens with its newest page, and drops the page of a conversation left meanwhile', async () => {
    const { fake, history: store } = history();
    const first = later<Result<HistoryPage>>();
    fake.answer('conversations.open', ({ id }) => (id === 1 ? first.promise : page([message({ id: 20, conversationId: 2 })])));

    const opening = store.getState().open(1);
    expect(store.getState().loading).toBe(true);
    await store.getState().open(2);
    first.resolve(page([message({ id: 10 })]));
    await opening;

    expect(store.getState().conversationId).toBe(2);
    expect(store.getState().messages.map((m) => m.id)).toEqual([20]);
    expect(store.getState().loading).toBe(false);
  });

  it('says why a conversation could not be opened', async () => {
    const { fake, history: store } = history();
    fake.answer('conversations.open', () => fail('No such conversation', 'not_found'));

    await store.getState().open(9);

    expect(store.getState().error?.message).toBe('No such conversation');
    expect(store.getState().loading).toBe(false);
  });

  it('loads older pages in front of what it has, each message once', async () => {
    const { fake, history: store } = history();
    fake.answer('conversations.open', () => page([message({ id: 3 }), message({ id: 4 })], true));
    fake.answer('messages.list', () => page([message({ id: 1 }), message({ id: 2 }), message({ id: 3 })], false));
    await store.getState().open(1);

    await store.getState().loadOlder();
    await store.getState().loadOlder();

    expect(store.getState().messages.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(store.getState().hasOlder).toBe(false);
    // Nothing older is left to ask for.
    expect(fake.calls('messages.list')).toEqual([{ conversationId: 1, before: 3 }]);
  });

  it("shows a sent message's new status as main tells it, and fetches one it has not seen", async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.list', () => ok([]));
    fake.answer('conversations.open', () => page([message({ id: 5, direction: 'out', kind: 'reply', status: 'sending' })]));
    await stores.history.getState().open(1);

    fake.emit('outbox.status', { conversationId: 1, messageId: 5, status: 'failed', error: failure('server_refused', '550 No such user') });
    expect(stores.history.getState().messages[0]).toMatchObject({ id: 5, status: 'failed', error: { code: 'server_refused', detail: '550 No such user' } });

    fake.answer('conversations.open', () => page([message({ id: 6, direction: 'out', kind: 'reply', status: 'sent' })]));
    fake.emit('outbox.status', { conversationId: 1, messageId: 6, status: 'sent', error: null });
    await settled();
    expect(stores.history.getState().messages.map((m) => [m.id, m.status])).toEqual([
      [5, 'failed'],
      [6, 'sent'],
    ]);

    // Another conversation's message changes nothing here.
    fake.emit('outbox.status', { conversationId: 2, messageId: 5, status: 'sent', error: null });
    expect(stores.history.getState().messages[0]?.status).toBe('failed');
  });

  it('new mail and finished file checks reload the open conversation only', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.list', () => ok([]));
    fake.answer('conversations.open', () => page([message({ id: 1 })]));
    await stores.history.getState().open(1);

    fake.answer('conversations.open', () => page([message({ id: 1 }), message({ id: 2 })]));
    fake.emit('mail.received', { channelId: 'support', direction: 'in', conversationId: 1, messageId: 2 });
    await settled();
    expect(stores.history.getState().messages.map((m) => m.id)).toEqual([1, 2]);

    fake.answer('conversations.open', () => page([message({ id: 1 }), message({ id: 2 }), message({ id: 3 })]));
    fake.emit('attachments.checked', { conversationId: 1, messageId: 2 });
    await settled();
    expect(stores.history.getState().messages.map((m) => m.id)).toEqual([1, 2, 3]);

    fake.emit('attachments.checked', { conversationId: 2, messageId: 8 });
    await settled();
    expect(fake.calls('conversations.open')).toHaveLength(3);
  });

  it('shows the progress of a send and of a save, per message', () => {
    const { fake, stores } = wiredStores();

    fake.emit('outbox.progress', { messageId: 5, sent: 100, total: 400 });
    fake.emit('attachments.progress', { messageId: 7, done: 1, total: 3 });
    fake.emit('outbox.progress', { messageId: 5, sent: 400, total: 400 });

    expect(stores.history.getState().sending).toEqual({ 5: { done: 400, total: 400 } });
    expect(stores.history.getState().saving).toEqual({ 7: { done: 1, total: 3 } });
  });

  it('asks before saving files with warnings, then saves them with the warnings accepted', async () => {
    const { fake, history: store } = history();
    fake.answer('attachments.save', ({ acceptWarnings }) =>
      ok(acceptWarnings ? { status: 'saved', files: ['invoice.pdf'] } : { status: 'confirm', files: [{ fileName: 'invoice.pdf', check: { warning: { code: 'macros', extension: 'pdf' }, scan: { status: 'clean' } } }] }),
    );

    await store.getState().save(3);
    expect(store.getState().confirming?.files.map((f) => f.fileName)).toEqual(['invoice.pdf']);
    expect(store.getState().notice).toBeNull();

    await store.getState().confirmSave();
    expect(store.getState().confirming).toBeNull();
    expect(store.getState().notice).toEqual({ kind: 'saved', text: 'invoice.pdf', leftOut: [] });
    expect(fake.calls('attachments.save')).toEqual([
      { attachmentId: 3, acceptWarnings: false },
      { attachmentId: 3, acceptWarnings: true },
    ]);
  });

  it('names the infected file main refused, and the files Download all leaves out', async () => {
    const { fake, history: store } = history();
    const file = (id: number, fileName: string, infected: boolean) => ({
      id,
      fileName,
      mediaType: 'application/pdf',
      size: 10,
      inline: false,
      contentId: null,
      check: { warning: null, scan: infected ? { status: 'infected' as const, signature: 'Eicar' } : { status: 'clean' as const } },
    });
    fake.answer('conversations.open', () => page([message({ id: 4, attachments: [file(1, 'a.pdf', false), file(2, 'virus.pdf', true)] })]));
    await store.getState().open(1);
    fake.answer('attachments.save', () => fail('Infected', 'forbidden', { reason: 'infected', fileName: 'virus.pdf', signature: 'Eicar' }));
    fake.answer('attachments.saveAll', () => ok({ status: 'saved', files: ['a.pdf'] }));

    await store.getState().save(2);
    expect(store.getState().notice).toEqual({ kind: 'blocked', fileName: 'virus.pdf', signature: 'Eicar' });

    await store.getState().saveAll(4);
    expect(store.getState().notice).toEqual({ kind: 'saved', text: 'a.pdf', leftOut: ['virus.pdf'] });
  });

  it('Retry shows the message as main answers it; a refused Cancel send says why and keeps it', async () => {
    const { fake, history: store } = history();
    fake.answer('conversations.open', () => page([message({ id: 5, direction: 'out', status: 'failed' })]));
    await store.getState().open(1);
    fake.answer('outbox.retry', ({ messageId }) => ok(message({ id: messageId, direction: 'out', status: 'queued' })));
    fake.answer('outbox.cancel', () => fail('It is being sent'));

    await store.getState().retry(5);
    await store.getState().cancelSend(5);

    expect(store.getState().messages.map((m) => [m.id, m.status])).toEqual([[5, 'queued']]);
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'It is being sent' });
  });

  it('Edit takes the unsent message out of the history and back into its draft', async () => {
    const { fake, edited, history: store } = history();
    fake.answer('conversations.open', () => page([message({ id: 4 }), message({ id: 5, direction: 'out', status: 'failed' })]));
    await store.getState().open(1);
    fake.answer('outbox.edit', () => ok({ kind: 'reply', conversationId: 1 }));

    await store.getState().edit(5);

    expect(store.getState().messages.map((m) => m.id)).toEqual([4]);
    expect(edited).toHaveBeenCalledWith({ kind: 'reply', conversationId: 1 });
  });
});
