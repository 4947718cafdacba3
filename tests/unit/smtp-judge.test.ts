import { describe, expect, it } from 'vitest';
import { decodeFailure, encodeFailure, failureText } from '../../common/failure';
import { translator } from '../../common/i18n';
import { judge } from '../../main/mail/smtp-session';

/** An error shaped as nodemailer throws them. */
function failure(message: string, fields: { code?: string; responseCode?: number; response?: string }): Error {
  return Object.assign(new Error(message), fields);
}

describe('judge: retry or not, and why (a code the page says in the operator’s language, the words kept)', () => {
  it.each([
    [failure('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET' }), true, 'unreachable', 'connect ECONNREFUSED 127.0.0.1:25'],
    [failure('getaddrinfo ENOTFOUND smtp.example.test', { code: 'EDNS' }), true, 'unreachable', 'getaddrinfo ENOTFOUND smtp.example.test'],
    [failure('This socket has been ended by the other party', { code: 'ESOCKET' }), true, 'connection_lost', 'This socket has been ended by the other party'],
    [failure('Connection closed unexpectedly', { code: 'ECONNECTION' }), true, 'connection_failed', 'Connection closed unexpectedly'],
    [failure('Greeting never received', { code: 'ETIMEDOUT' }), true, 'timeout', 'Greeting never received'],
    [failure('Message failed', { responseCode: 451, response: '451 4.3.0 Try again later' }), true, 'server_deferred', '451 4.3.0 Try again later'],
    [failure('Message failed', { responseCode: 550, response: '550 5.1.1 No such user' }), false, 'server_refused', '550 5.1.1 No such user'],
    [failure('Invalid login', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' }), false, 'login_failed', '535 5.7.8 Authentication failed'],
    [failure('No recipients defined', { code: 'EENVELOPE' }), false, 'unknown', 'No recipients defined'],
  ])('%s', (error, retry, code, detail) => {
    expect(judge(error)).toEqual({ retry, reason: { code, detail } });
  });

  it('says a message over the server’s SIZE with both sizes', () => {
    expect(judge(failure('Message size larger than allowed 1000', { code: 'EMESSAGE' }), 5000)).toEqual({
      retry: false,
      reason: { code: 'too_large', detail: '', params: { limit: 1000, size: 5000 } },
    });
  });
});

describe('the reason as the operator reads it', () => {
  const size = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  it.each([
    ['en', { code: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:51881' }, 'Could not connect to the mail server (connect ECONNREFUSED 127.0.0.1:51881)'],
    ['ru', { code: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:51881' }, 'Не удалось подключиться к почтовому серверу (connect ECONNREFUSED 127.0.0.1:51881)'],
    ['ru', { code: 'too_large', detail: '', params: { size: 5120, limit: 1024 } }, 'Размер письма 5 KB, а почтовый сервер принимает не больше 1 KB'],
    ['en', { code: 'not_configured', detail: '' }, 'The channel of this message is no longer configured'],
    ['ru', { code: 'unknown', detail: 'No recipients defined' }, 'No recipients defined'],
  ] as const)('%s: %j', (lang, f, text) => {
    expect(failureText(f, translator(lang), size)).toBe(text);
  });

  it('an older row’s plain words are kept as they are', () => {
    expect(decodeFailure('Could not connect: x')).toEqual({ code: 'unknown', detail: 'Could not connect: x' });
    expect(decodeFailure(encodeFailure({ code: 'timeout', detail: 'Greeting never received' }))).toEqual({ code: 'timeout', detail: 'Greeting never received' });
  });
});
