// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { events, type EventName } from '../../../preload/contract';
import { ok } from '../../support/fake-api';
import { info } from './samples';
import { wiredStores } from './wired-stores';

const names = Object.keys(events) as EventName[];

describe("the page's one subscription to main's events", () => {
  it('listens once to every event the contract declares, and disconnecting stops it all', async () => {
    const { fake, stores, disconnect } = wiredStores();
    fake.answer('app.info', () => ok(info({ unread: 2 })));
    expect(names.map((name) => [name, fake.listeners(name)])).toEqual(names.map((name) => [name, 1]));

    disconnect();
    fake.emit('conversations.unread', { count: 4 });
    fake.emit('outbox.progress', { messageId: 5, sent: 100, total: 400 });
    await stores.app.getState().load();

    expect(names.filter((name) => fake.listeners(name) > 0)).toEqual([]);
    expect(stores.attention.getState().unread).toBe(0);
    expect(stores.history.getState().sending).toEqual({});
  });
});
