// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok, settled } from '../../support/fake-api';
import { conversation, draft, info } from './samples';
import { wiredStores } from './wired-stores';

/** The browser's Notification, as far as the page uses it: the operator's answer, and what was shown. */
function browserNotifications(permission: NotificationPermission, answer: NotificationPermission = permission) {
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => answer);
    onclick: (() => void) | null = null;
    closed = false;
    constructor(
      readonly title: string,
      readonly options?: NotificationOptions,
    ) {
      shown.push(this);
    }
    close() {
      this.closed = true;
    }
  }
  const shown: FakeNotification[] = [];
  vi.stubGlobal('Notification', FakeNotification);
  return { shown, requestPermission: FakeNotification.requestPermission };
}

const mail = (conversationId: number, direction: 'in' | 'out' = 'in') => ({ channelId: 'support', direction, conversationId, messageId: 99 });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('what asks for the operator’s attention', () => {
  it('starts from what main knew and counts as main tells', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('app.info', () => ok(info({ unread: 3, notifications: true })));
    await stores.app.getState().load();
    expect(stores.attention.getState()).toMatchObject({ unread: 3, notifications: true });

    fake.emit('conversations.unread', { count: 4 });

    expect(stores.attention.getState().unread).toBe(4);
  });

  it('in the desktop app, turns notifications on and off through main', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('app.setNotifications', () => ok(undefined));

    await stores.attention.getState().toggleNotifications();
    expect(stores.attention.getState().notifications).toBe(true);
    fake.answer('app.setNotifications', () => fail('The settings file is read-only'));
    await stores.attention.getState().toggleNotifications();

    expect(stores.attention.getState().notifications).toBe(true);
    expect(fake.calls('app.setNotifications')).toEqual([{ enabled: true }, { enabled: false }]);
  });

  it('in the browser, turns nothing on when the operator says no to the browser', async () => {
    const { requestPermission } = browserNotifications('default', 'denied');
    const { fake, stores } = wiredStores();

    await stores.attention.getState().toggleNotifications();

    expect(requestPermission).toHaveBeenCalledOnce();
    expect(stores.attention.getState()).toMatchObject({ notifications: false, denied: true });
    expect(fake.calls('app.setNotifications')).toEqual([]);
  });

  it('in the browser, notifications left on in main stay off where the browser has not allowed them', async () => {
    browserNotifications('default');
    const { fake, stores } = wiredStores();
    fake.answer('app.info', () => ok(info({ notifications: true })));

    await stores.app.getState().load();

    expect(stores.attention.getState().notifications).toBe(false);
  });

  it("in the browser, shows the client's new mail, and a click opens the conversation", async () => {
    const { shown } = browserNotifications('granted');
    const { fake, stores } = wiredStores();
    fake.answer('app.info', () => ok(info({ notifications: true })));
    await stores.app.getState().load();
    const bobs = conversation({ id: 6, clientName: 'Bob', lastSubject: 'Where is my order?' });
    fake.answer('conversations.get', () => ok(bobs));
    fake.answer('conversations.list', () => ok([bobs]));
    fake.answer('conversations.open', () => ok({ messages: [], hasOlder: false }));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId })));
    vi.spyOn(window, 'focus').mockImplementation(() => {});

    fake.emit('mail.received', mail(6));
    fake.emit('mail.received', mail(6, 'out'));
    await settled();

    expect(shown.map((n) => [n.title, n.options?.body])).toEqual([['New mail from Bob', 'Where is my order?']]);
    shown[0]!.onclick!();
    await settled();
    expect(shown[0]!.closed).toBe(true);
    expect(stores.conversations.getState().selectedId).toBe(6);
  });

  it('in the browser, stays quiet about the conversation the operator is reading', async () => {
    const { shown } = browserNotifications('granted');
    const { fake, stores } = wiredStores();
    stores.attention.setState({ notifications: true });
    stores.conversations.setState({ selectedId: 6 });
    fake.answer('conversations.get', ({ id }) => ok(conversation({ id })));
    fake.answer('conversations.list', () => ok([]));
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);

    fake.emit('mail.received', mail(6));
    fake.emit('mail.received', mail(7));
    await settled();

    expect(shown.map((n) => n.title)).toEqual(['New mail from Client 7']);
  });

  it('a notification clicked in the desktop app opens its conversation on its tab', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('conversations.get', ({ id }) => ok(conversation({ id, status: 'completed' })));
    fake.answer('conversations.list', ({ status }) => ok(status === 'completed' ? [conversation({ id: 8, status: 'completed' })] : []));
    fake.answer('conversations.open', () => ok({ messages: [], hasOlder: false }));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId })));

    fake.emit('app.openConversation', { conversationId: 8 });
    await settled();

    expect(stores.conversations.getState()).toMatchObject({ tab: 'completed', selectedId: 8 });
  });
});
