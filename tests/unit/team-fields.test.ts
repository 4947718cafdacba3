// What the team writes into mail and reads back from other desks: the Sent copy's header fields
// and the desks' heartbeats. Both are input from the server, so hostile forms are fed too.
import { describe, expect, it } from 'vitest';
import { readHeartbeat } from '../../main/team/desk-board';
import { readSender, teamHeaderLines } from '../../main/team/team-headers';
import { gecosName } from '../../main/host/operator-name';

const DESK = '0f8b7c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f';
const withBody = (header: Buffer | string) => Buffer.concat([Buffer.from(header), Buffer.from('From: Support <s@x.test>\r\nSubject: Re: hi\r\n\r\nbody\r\n')]);

describe('the Sent copy’s team fields', () => {
  it('carry a Cyrillic name and the desk, folded ASCII lines, and read back the same', () => {
    const name = 'Алиса Петрова-Водкина, старший оператор контактного центра';
    const lines = teamHeaderLines({ operator: name, deskId: DESK });
    const text = lines.toString('latin1');
    expect(/^[\x20-\x7e\r\n\t]*$/.test(text)).toBe(true);
    expect(text.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readSender(withBody(lines))).toEqual({ operator: name, deskId: DESK });
  });

  it('a copy without them (another mail program, a server’s own copy) names nobody', () => {
    expect(readSender(withBody(''))).toEqual({ operator: null, deskId: null });
  });

  it.each([
    ['a line break smuggled into the name', `X-Postdesk-Operator: =?UTF-8?B?${Buffer.from('Eve\r\nBcc: all@x.test').toString('base64')}?=\r\n`, { operator: 'Eve  Bcc: all@x.test' }],
    ['a name longer than 100 characters', `X-Postdesk-Operator: ${'A'.repeat(500)}\r\n`, { operator: 'A'.repeat(100) }],
    ['a desk that is no desk id', 'X-Postdesk-Desk: ../../etc/passwd\r\n', { deskId: null }],
  ])('%s is kept harmless', (_, header, expected) => {
    expect(readSender(withBody(header))).toMatchObject(expected);
  });
});

describe('a desk’s heartbeat', () => {
  const heartbeat = { desk: DESK, operator: 'Алиса', at: 1767225780000, slot: 3, claims: [{ uid: 7, uidValidity: '1767000000', since: 1767225779000 }] };
  const message = (body: string) => Buffer.from(`Subject: Postdesk desk\r\nContent-Type: application/json\r\n\r\n${body}\r\n`);

  it('is read from its message', () => {
    expect(readHeartbeat(message(JSON.stringify(heartbeat)))).toEqual(heartbeat);
  });

  it.each([
    ['not JSON', 'hello'],
    ['JSON of another shape', '{"desk": "x"}'],
    ['a desk id that is a path', JSON.stringify({ ...heartbeat, desk: '../../../../tmp' })],
    ['an empty operator name', JSON.stringify({ ...heartbeat, operator: '' })],
    ['a negative UID', JSON.stringify({ ...heartbeat, claims: [{ uid: -1, uidValidity: '1', since: 0 }] })],
    ['a slot there is no keyword for', JSON.stringify({ ...heartbeat, slot: 8 })],
    ['a prototype key', '{"__proto__": {"desk": "x"}, "desk": 1}'],
    ['two thousand claims', JSON.stringify({ ...heartbeat, claims: Array.from({ length: 2000 }, (_, i) => ({ uid: i + 1, uidValidity: '1', since: 0 })) })],
  ])('%s is no heartbeat', (_, body) => {
    expect(readHeartbeat(message(body))).toBeNull();
  });

  it('a message without a body is none', () => {
    expect(readHeartbeat(Buffer.from('Subject: x'))).toBeNull();
  });
});

describe('the operator’s name from the OS account', () => {
  const passwd = ['root:x:0:0:root:/root:/bin/bash', 'anna:x:1000:1000:Анна Смирнова,,,:/home/anna:/bin/bash', 'svc:x:1001:1001::/srv:/usr/sbin/nologin'].join('\n');

  it('is the first part of the GECOS field', () => {
    expect(gecosName(passwd, 1000)).toBe('Анна Смирнова');
  });

  it('is none when the field is empty or the user is not listed', () => {
    expect(gecosName(passwd, 1001)).toBeNull();
    expect(gecosName(passwd, 4242)).toBeNull();
  });
});
