import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../main/errors';
import { dispatch, type HandlerTable } from '../../main/ipc/dispatch';
import { requests } from '../../preload/contract';

function table(overrides: Partial<HandlerTable> = {}): HandlerTable {
  const unused = Object.fromEntries(
    Object.keys(requests).map((channel) => [
      channel,
      () => {
        throw new Error(`${channel} is not used here`);
      },
    ]),
  ) as unknown as HandlerTable;
  return {
    ...unused,
    'app.info': () => ({ version: '1', lang: 'en', attachmentRules: { allowedFormats: ['pdf'], maxFileSize: 1, maxTotalSize: 1 }, notifications: true, unread: 0, signature: '' }),
    'channels.list': () => [],
    'channels.check': ({ id }) => ({ id, name: 'n', address: 'a@b.c', state: { kind: 'idle' }, smtp: { kind: 'ok' }, team: 'live', claims: 'shared' }),
    'conversations.list': () => [],
    ...overrides,
  };
}

const silent = () => 'ref0';

describe('dispatch', () => {
  it('returns the handler value as data', async () => {
    expect(await dispatch(table(), 'channels.check', { id: 'x' })).toEqual({
      ok: true,
      value: { id: 'x', name: 'n', address: 'a@b.c', state: { kind: 'idle' }, smtp: { kind: 'ok' }, team: 'live', claims: 'shared' },
    });
  });

  it('refuses a channel the contract does not have, including prototype names', async () => {
    for (const name of ['nope', 'toString', '__proto__', 'constructor']) {
      const result = await dispatch(table(), name, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
    }
  });

  it('refuses malformed input before the handler runs', async () => {
    const handler = vi.fn(() => []);
    const t = table({ 'conversations.list': handler });
    for (const input of [undefined, {}, { status: 'open' }, { status: 'active', extra: 1 }, 'active']) {
      const result = await dispatch(t, 'conversations.list', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes an AppError through with its code and message', async () => {
    const t = table({
      'channels.check': () => {
        throw new AppError('not_found', 'There is no channel "x".');
      },
    });
    expect(await dispatch(t, 'channels.check', { id: 'x' }, silent)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no channel "x".' },
    });
  });

  it('hides an unexpected error behind a generic message, never a stack trace', async () => {
    const log = vi.fn(() => '5f3a9c01');
    const t = table({
      'channels.list': () => {
        throw new Error('SQLITE_CORRUPT at /home/op/secret/path');
      },
    });
    const result = await dispatch(t, 'channels.list', undefined, log);
    // The message names the log line that holds the details.
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'Postdesk could not complete this request; the details are in its log (reference 5f3a9c01).', details: { ref: '5f3a9c01' } },
    });
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|secret|at /);
    expect(log).toHaveBeenCalledOnce();
  });

  it('refuses output that breaks the contract instead of passing it on', async () => {
    const t = table({ 'channels.list': () => [{ id: 1 }] as never });
    expect(await dispatch(t, 'channels.list', undefined, silent)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
