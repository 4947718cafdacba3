// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DraftView } from '../../../preload/contract';
import { createDraftStore } from '../../../renderer/stores/draft-store';
import { createFakeApi, fail, ok, type FakeApi } from '../../support/fake-api';
import { draft } from './samples';

/** A draft store with this draft loaded; main keeps what it is sent and answers the draft as it now is. */
async function loaded(view: DraftView) {
  const fake = createFakeApi();
  let current = view;
  fake.answer('drafts.update', (changes) => ok((current = { ...current, ...changes })));
  const store = createDraftStore(fake.api);
  await store.getState().load(async () => ok(current));
  return { fake, store };
}

const file = (id: number, fileName: string) => ({ id, fileName, size: 10, problem: null, attachedAt: id });

/** Main takes a file unless its name ends in .exe. */
function takesAllButPrograms(fake: FakeApi) {
  fake.upload((draftId, f) => {
    if (f.name.endsWith('.exe')) return fail(`${f.name}: this format is not allowed`, 'invalid_input');
    return ok(draft({ id: draftId, files: [file(f.size, f.name)] }));
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a draft being written', () => {
  it('shows what main has of the draft, and why it could not be opened', async () => {
    const { store } = await loaded(draft({ id: 1, kind: 'outgoing', text: 'Hello', subject: 'Order', bcc: ['a@example.com', 'b@example.com'] }));
    expect(store.getState()).toMatchObject({ text: 'Hello', subject: 'Order', bcc: 'a@example.com, b@example.com', error: null });

    await store.getState().load(async () => fail('The channel is gone'));
    expect(store.getState().draft).toBeNull();
    expect(store.getState().error).toBe('The channel is gone');
  });

  it('saves what was typed once the operator pauses, in one request', async () => {
    vi.useFakeTimers();
    const { fake, store } = await loaded(draft({ id: 1 }));

    store.getState().type('H');
    store.getState().type('Hi');
    await vi.advanceTimersByTimeAsync(299);
    expect(fake.calls('drafts.update')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    expect(fake.calls('drafts.update')).toEqual([{ draftId: 1, text: 'Hi' }]);
    expect(store.getState().draft?.text).toBe('Hi');
  });

  it('sends what was typed, saved first, to the To line the operator saw', async () => {
    const { fake, store } = await loaded(draft({ id: 1, conversationId: 3 }));
    fake.answer('drafts.send', () => ok({ status: 'queued', messageId: 9, conversationId: 3 }));

    store.getState().type('Thank you');
    const sent = await store.getState().send();

    expect(sent).toEqual({ status: 'queued', messageId: 9, conversationId: 3 });
    expect(fake.calls('drafts.update')).toEqual([{ draftId: 1, text: 'Thank you' }]);
    expect(fake.calls('drafts.send')).toEqual([{ draftId: 1, to: 'client@example.com' }]);
  });

  it('a refused send says it was the send that failed, and shows the draft as main has it now', async () => {
    const fake = createFakeApi();
    fake.answer('drafts.send', () => fail('The client wrote from another address'));
    const store = createDraftStore(fake.api);
    const answers = ['old@example.com', 'new@example.com'].map((address) => draft({ id: 1, recipient: { name: null, address } }));
    await store.getState().load(async () => ok(answers.shift()!));

    expect(await store.getState().send()).toBeNull();

    expect(fake.calls('drafts.send')).toEqual([{ draftId: 1, to: 'old@example.com' }]);
    expect(store.getState()).toMatchObject({ error: 'The client wrote from another address', failedToSend: true, busy: false });
    expect(store.getState().draft?.recipient?.address).toBe('new@example.com');
  });

  it('waits for Send anyway when main asks first, and Cancel leaves the draft as it was', async () => {
    const { fake, store } = await loaded(draft({ id: 1 }));
    fake.answer('drafts.send', () => ok({ status: 'confirm', replying: { operator: 'Alice', stale: false }, changes: [] }));

    expect(await store.getState().send()).toBeNull();
    expect(store.getState().confirming).toEqual({ replying: { operator: 'Alice', stale: false }, changes: [] });

    store.getState().cancelSend();
    expect(store.getState().confirming).toBeNull();
    expect(store.getState().draft?.id).toBe(1);
  });

  it('takes each dropped file on its own and keeps the refusals on screen', async () => {
    const { fake, store } = await loaded(draft({ id: 1 }));
    takesAllButPrograms(fake);

    await store.getState().attach([new File(['x'.repeat(3)], 'setup.exe'), new File(['x'.repeat(4)], 'scan.pdf')]);

    expect(store.getState().draft?.files.map((f) => f.fileName)).toEqual(['scan.pdf']);
    expect(store.getState().error).toBe('setup.exe: this format is not allowed');
    expect(store.getState().busy).toBe(false);
  });

  it('removes a file, and says why main would not', async () => {
    const { fake, store } = await loaded(draft({ id: 1, files: [file(5, 'a.pdf'), file(6, 'b.pdf')] }));
    fake.answer('drafts.removeFile', ({ fileId }) => (fileId === 5 ? ok(draft({ id: 1, files: [file(6, 'b.pdf')] })) : fail('The file is being scanned')));

    await store.getState().remove(5);
    expect(store.getState().draft?.files.map((f) => f.fileName)).toEqual(['b.pdf']);

    await store.getState().remove(6);
    expect(store.getState().draft?.files.map((f) => f.fileName)).toEqual(['b.pdf']);
    expect(store.getState().error).toBe('The file is being scanned');
  });

  it('the chosen recipient shows at once, and goes back when main refuses it', async () => {
    const choice = { from: 'a@example.com', replyTo: 'b@example.com', chosen: 'from' as const };
    const { fake, store } = await loaded(draft({ id: 1, replyToChoice: choice }));
    fake.answer('drafts.chooseRecipient', () => fail('Not one of the two addresses'));

    const choosing = store.getState().chooseRecipient('b@example.com');
    expect(store.getState().draft?.replyToChoice?.chosen).toBe('reply-to');
    await choosing;

    expect(store.getState().draft?.replyToChoice?.chosen).toBe('from');
    expect(store.getState().error).toBe('Not one of the two addresses');
  });

  it('closing saves what was typed and forgets the draft', async () => {
    const { fake, store } = await loaded(draft({ id: 1, kind: 'outgoing' }));

    store.getState().setSubject('Invoice');
    store.getState().setBcc('boss@example.com; audit@example.com');
    await store.getState().close();

    expect(fake.calls('drafts.update')).toEqual([{ draftId: 1, subject: 'Invoice', bcc: ['boss@example.com', 'audit@example.com'] }]);
    expect(store.getState()).toMatchObject({ draft: null, subject: '', bcc: '' });
  });
});
