// Main's log file: a request that fails unexpectedly tells the operator a reference, and the log
// under the data dir holds that very line with the error; secrets and message bodies never go
// in; a log grown large is moved aside at start.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { createHandlers } from '../../main/ipc/handlers';
import { dispatch } from '../../main/ipc/dispatch';
import { LOG_FILE, openLogFile } from '../../main/log/logger';
import { openServices, type Services } from '../../main/services';
import { channelFor, writeConfig } from '../support/config-file';
import { tempDir } from '../support/temp-dir';

const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { msg: string; level: number });

describe('the log file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let services: Services | null;

  beforeEach(() => {
    tmp = tempDir('postdesk-log-');
  });
  afterEach(async () => {
    await services?.close();
    tmp.cleanup();
  });

  it('holds the line a failed request’s reference points at', async () => {
    const servers = { dovecot: { host: '127.0.0.1', lmtpPort: 1, imapPort: 1 }, smtp: { host: '127.0.0.1', port: 1 } };
    const config = loadConfig(writeConfig(tmp.dir, { channels: [channelFor(servers)] })).config;
    const dataDir = path.join(tmp.dir, 'data');
    services = await openServices({ config, dataDir, lang: 'en', version: 'test', startMail: false });
    const table = createHandlers(services);
    table['channels.list'] = () => {
      throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT', password: 'hunter2' });
    };
    const result = await dispatch(table, 'channels.list', undefined, (channel, error) => services!.log.error(`${channel} failed`, error));
    expect(result.ok).toBe(false);
    const message = !result.ok ? result.error.message : '';
    const ref = /reference ([0-9a-f]{8})\)/.exec(message)?.[1];
    expect(ref, message).toBeDefined();
    await services.close();
    services = null;

    const file = path.join(dataDir, 'logs', LOG_FILE);
    const line = linesOf(file).find((l) => l.ref === ref);
    expect(line).toMatchObject({ level: 50, msg: 'channels.list failed', err: { message: 'database disk image is malformed', code: 'SQLITE_CORRUPT', type: 'Error' } });
    // Only what an error is and where it came from: not what it happens to carry.
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('redacts fields named like secrets or bodies', async () => {
    const log = openLogFile(path.join(tmp.dir, 'logs'));
    log.info('channel checked', { channel: 'support', password: 'hunter2', auth: { user: 'op', pass: 'x' }, message: { text: 'Dear client', html: '<p>Dear</p>' } });
    await log.close();
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toMatch(/hunter2|Dear client|<p>/);
    expect(linesOf(log.file)[0]).toMatchObject({ msg: 'channel checked', channel: 'support', password: '[redacted]', message: { text: '[redacted]', html: '[redacted]' } });
  });

  it('moves a log grown past 5 MB aside at start, keeping three', async () => {
    const dir = path.join(tmp.dir, 'logs');
    mkdirSync(dir);
    writeFileSync(path.join(dir, LOG_FILE), 'x'.repeat(6 * 1024 * 1024));
    writeFileSync(path.join(dir, 'postdesk.1.log'), 'older');
    const log = openLogFile(dir);
    log.info('started');
    await log.close();
    expect(statSync(path.join(dir, 'postdesk.1.log')).size).toBe(6 * 1024 * 1024);
    expect(readFileSync(path.join(dir, 'postdesk.2.log'), 'utf8')).toBe('older');
    expect(existsSync(path.join(dir, 'postdesk.3.log'))).toBe(false);
    expect(linesOf(log.file).map((l) => l.msg)).toEqual(['started']);
  });
});
