// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ChannelView, Result } from '../../../preload/contract';
import { fail, later, ok } from '../../support/fake-api';
import { channel } from './samples';
import { wiredStores } from './wired-stores';

const heard = { smtp: { kind: 'ok' as const }, team: 'live' as const, claims: 'shared' as const };

describe('the channels panel', () => {
  it('lists the channels, then follows each change of state main tells', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('channels.list', () => ok([channel({ id: 'a', state: { kind: 'unchecked' } }), channel({ id: 'b' })]));
    await stores.channels.getState().load();

    fake.emit('channels.state', { id: 'a', state: { kind: 'syncing', done: 1, total: 2 }, ...heard });

    expect(stores.channels.getState().channels.map((c) => [c.id, c.state])).toEqual([
      ['a', { kind: 'syncing', done: 1, total: 2 }],
      ['b', { kind: 'idle' }],
    ]);
  });

  it('keeps what the event stream said over a list read before it but answered after it', async () => {
    const { fake, stores } = wiredStores();
    const list = later<Result<ChannelView[]>>();
    fake.answer('channels.list', () => list.promise);

    const loading = stores.channels.getState().load();
    fake.emit('channels.state', { id: 'a', state: { kind: 'idle' }, ...heard });
    list.resolve(ok([channel({ id: 'a', state: { kind: 'syncing', done: 0, total: 2 } })]));
    await loading;

    expect(stores.channels.getState().channels[0]?.state).toEqual({ kind: 'idle' });
  });

  it('Check connection shows the one channel as main answers it; a failed check leaves the list', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('channels.list', () => ok([channel({ id: 'a' }), channel({ id: 'b' })]));
    await stores.channels.getState().load();
    const refused = channel({ id: 'b', smtp: { kind: 'error', reason: { code: 'login_failed', detail: '535' } } });
    fake.answer('channels.check', ({ id }) => (id === 'b' ? ok(refused) : fail('Checking already')));

    await stores.channels.getState().check('b');
    await stores.channels.getState().check('a');

    expect(stores.channels.getState().channels).toEqual([channel({ id: 'a' }), refused]);
  });
});
