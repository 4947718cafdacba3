import { describe, expect, it } from 'vitest';
import { judge } from '../../main/mail/smtp-session';

/** An error shaped as nodemailer throws them. */
function failure(message: string, fields: { code?: string; responseCode?: number; response?: string }): Error {
  return Object.assign(new Error(message), fields);
}

describe('judge: retry or not, and what the operator reads', () => {
  it.each([
    [failure('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET' }), true, 'Could not connect to the mail server: connect ECONNREFUSED 127.0.0.1:25'],
    [failure('getaddrinfo ENOTFOUND smtp.example.test', { code: 'EDNS' }), true, 'Could not connect to the mail server: getaddrinfo ENOTFOUND smtp.example.test'],
    [failure('This socket has been ended by the other party', { code: 'ESOCKET' }), true, 'The connection to the mail server was lost: This socket has been ended by the other party'],
    [failure('Connection closed unexpectedly', { code: 'ECONNECTION' }), true, 'The connection to the mail server failed: Connection closed unexpectedly'],
    [failure('Greeting never received', { code: 'ETIMEDOUT' }), true, 'The mail server did not answer in time: Greeting never received'],
    [failure('Message failed', { responseCode: 451, response: '451 4.3.0 Try again later' }), true, '451 4.3.0 Try again later'],
    [failure('Message failed', { responseCode: 550, response: '550 5.1.1 No such user' }), false, '550 5.1.1 No such user'],
    [failure('No recipients defined', { code: 'EENVELOPE' }), false, 'No recipients defined'],
  ])('%s', (error, retry, reason) => {
    expect(judge(error)).toEqual({ retry, reason });
  });
});
