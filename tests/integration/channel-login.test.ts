import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { createHandlers } from '../../main/ipc/handlers';
import { dispatch } from '../../main/ipc/dispatch';
import { openServices, type Services } from '../../main/services';
import type { EventPayload } from '../../preload/contract';
import { channelFor, MAILBOX_USERS, OPERATOR, writeConfig } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { tempDir } from '../support/temp-dir';

describe('a configured channel against a private Dovecot', () => {
  const tmp = tempDir('postdesk-login-');
  let dovecot: Dovecot;
  let smtp: SmtpServerHandle;
  let services: Services;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
    smtp = await startSmtpServer({ deliverTo: dovecot });
    const servers = { dovecot, smtp };
    const file = writeConfig(tmp.dir, {
      channels: [channelFor(servers), channelFor(servers, { id: 'wrong', name: 'Wrong password', password: 'nope' })],
    });
    services = await openServices({ config: loadConfig(file).config, dataDir: tmp.dir, lang: 'en', version: 'test', startMail: false });
  });

  afterAll(async () => {
    await services?.close();
    await smtp?.stop();
    await dovecot?.stop();
    tmp.cleanup();
  });

  it('logs in with the configured credentials through the contract and reports the channel idle', async () => {
    const seen: Array<EventPayload<'channels.state'>> = [];
    const unsubscribe = services.events.subscribe((event, payload) => {
      if (event === 'channels.state') seen.push(payload as EventPayload<'channels.state'>);
    });
    const table = createHandlers(services);
    const result = await dispatch(table, 'channels.check', { id: 'support' });
    unsubscribe();
    expect(result).toEqual({
      ok: true,
      // Only a login test here: no team connections run, so the team's view is not live. The SMTP server is tried too.
      value: { id: 'support', name: 'Support', address: OPERATOR.address, state: { kind: 'idle' }, smtp: { kind: 'ok' }, team: 'offline', claims: 'shared' },
    });
    expect(seen.map((e) => e.state.kind).filter((kind, i, all) => all[i - 1] !== kind)).toEqual(['connecting', 'idle']);
    expect(seen.at(-1)!.smtp).toEqual({ kind: 'ok' });
  });

  it('shows a refused login as an error with the server reason', async () => {
    const result = await dispatch(createHandlers(services), 'channels.check', { id: 'wrong' });
    expect(result).toMatchObject({ ok: true, value: { state: { kind: 'error' } } });
    const state = (result as { value: { state: { reason: { code: string; detail: string } } } }).value.state;
    expect(state.reason).toMatchObject({ code: 'login_failed', detail: expect.stringMatching(/auth|fail/i) });
  });

  it('answers not_found for a channel that is not configured', async () => {
    expect(await dispatch(createHandlers(services), 'channels.check', { id: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
