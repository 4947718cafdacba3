import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../main/config/load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-config-'));
let counter = 0;

function fileWith(content: unknown): string {
  const file = path.join(dir, `config-${counter++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(content: unknown): string[] {
  try {
    loadConfig(fileWith(content));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the config was accepted');
}

const channel = {
  id: 'support',
  name: 'Support',
  address: 'support@example.test',
  imap: { host: 'imap.example.test', tls: 'implicit', user: 'support@example.test', passwordEnv: 'IMAP_PASSWORD' },
  smtp: { host: 'smtp.example.test', port: 587, tls: 'starttls', user: 'support@example.test', password: 'secret' },
};

describe('loadConfig', () => {
  it('takes the shipped example (config/example.json, what the README has one copy first) as it is', () => {
    const example = loadConfig(path.resolve(import.meta.dirname, '../../config/example.json')).config;
    expect(example.channels.map((c) => [c.id, c.name, c.address])).toEqual([
      ['support', 'Support', 'support@example.com'],
      ['sales', 'Sales', 'sales@example.com'],
    ]);
    // Passwords come from the environment: a copied example holds none to leak.
    for (const c of example.channels) {
      for (const server of [c.imap, c.smtp]) expect([server.password, server.passwordEnv]).toEqual([undefined, expect.stringMatching(/_MAIL_PASSWORD$/)]);
    }
    // The rules are the defaults, written out to be edited: copying the example changes no policy.
    const { config: defaults } = loadConfig();
    expect(example.attachments).toEqual(defaults.attachments);
    expect(example.downloads).toEqual(defaults.downloads);
    expect(example.updates).toEqual(defaults.updates);
  });

  it('uses the shipped defaults when there is no file', () => {
    const { config } = loadConfig();
    expect(config.attachments).toEqual({
      allowedFormats: ['jpeg', 'jpg', 'png', 'pdf', 'doc', 'docx', 'rtf', 'bmp'],
      maxFileSize: 30 * 1024 * 1024,
      maxTotalSize: 30 * 1024 * 1024,
    });
    expect(config.channels).toEqual([]);
    expect(config.downloads).toEqual({ incoming: 'folder', reply: 'zip', new: 'folder' });
  });

  it('lets the administrator choose how "Download all files" saves, per kind of message', () => {
    const { config } = loadConfig(fileWith({ downloads: { incoming: 'zip' } }));
    expect(config.downloads).toEqual({ incoming: 'zip', reply: 'zip', new: 'folder' });
    expect(problemsOf({ downloads: { reply: 'tarball' } })).toEqual(['downloads.reply = "tarball": expected one of "zip", "folder"']);
  });

  it('updates the desktop app unless the administrator turns updates off', () => {
    expect(loadConfig().config.updates).toEqual({ enabled: true });
    expect(loadConfig(fileWith({ updates: {} })).config.updates).toEqual({ enabled: true });
    expect(loadConfig(fileWith({ updates: { enabled: false } })).config.updates).toEqual({ enabled: false });
    expect(problemsOf({ updates: { enabled: 'no' } })).toEqual(['updates.enabled = "no": expected boolean, received string']);
  });

  it('merges an override over the defaults, key by key', () => {
    const { config } = loadConfig(fileWith({ attachments: { maxFileSize: '5mb', maxTotalSize: '10mb' }, channels: [channel] }));
    expect(config.attachments.allowedFormats).toContain('docx');
    expect(config.attachments.maxFileSize).toBe(5 * 1024 * 1024);
    expect(config.attachments.maxTotalSize).toBe(10 * 1024 * 1024);
    expect(config.channels[0]!.imap).toMatchObject({ port: 993, mailbox: 'INBOX', passwordEnv: 'IMAP_PASSWORD' });
    expect(config.channels[0]!.smtp.port).toBe(587);
  });

  it('lower-cases formats and accepts byte counts', () => {
    const { config } = loadConfig(fileWith({ attachments: { allowedFormats: ['PDF', 'Png'], maxFileSize: 1000, maxTotalSize: '2000' } }));
    expect(config.attachments).toEqual({ allowedFormats: ['pdf', 'png'], maxFileSize: 1000, maxTotalSize: 2000 });
  });

  it('refuses unparseable JSON, naming the file and the position', () => {
    const file = fileWith('{"attachments": {');
    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(new RegExp(`${file}[\\s\\S]*not valid JSON`));
  });

  it('refuses a missing file', () => {
    expect(() => loadConfig(path.join(dir, 'nope.json'))).toThrow(/does not exist/);
  });

  it('refuses an unknown key, naming key, value and the known keys', () => {
    expect(problemsOf({ attachments: { maxFileSzie: '10mb' } })).toEqual([
      'attachments.maxFileSzie = "10mb": unknown key; expected one of allowedFormats, maxFileSize, maxTotalSize',
    ]);
  });

  it('refuses a size it cannot read', () => {
    expect(problemsOf({ attachments: { maxFileSize: '30 parsecs' } })).toEqual([
      'attachments.maxFileSize = "30 parsecs": expected a size such as "30mb", "512kb" or a number of bytes',
    ]);
  });

  it('refuses an empty format list', () => {
    expect(problemsOf({ attachments: { allowedFormats: [] } })).toEqual([
      'attachments.allowedFormats = []: expected a non-empty list of file extensions',
    ]);
  });

  it('refuses a total limit below the per-file limit', () => {
    expect(problemsOf({ attachments: { maxFileSize: '30mb', maxTotalSize: '10mb' } })).toEqual([
      `attachments.maxTotalSize = "10mb": expected at least the per-file limit maxFileSize (${30 * 1024 * 1024} bytes)`,
    ]);
  });

  it('refuses a channel without a host', () => {
    const { host: _host, ...imap } = channel.imap;
    expect(problemsOf({ channels: [{ ...channel, imap }] })).toEqual(['channels[0].imap.host is missing: expected a host name']);
  });

  it('accepts tls "none" only for loopback hosts', () => {
    expect(problemsOf({ channels: [{ ...channel, smtp: { ...channel.smtp, tls: 'none' } }] })).toEqual([
      'channels[0].smtp.tls = "none": expected "implicit" or "starttls" for host smtp.example.test ("none" is accepted only for loopback hosts)',
    ]);
    const local = { ...channel, imap: { ...channel.imap, host: '127.0.0.1', tls: 'none', port: 1143 } };
    expect(loadConfig(fileWith({ channels: [local] })).config.channels[0]!.imap.tls).toBe('none');
  });

  it('wants exactly one of password and passwordEnv, and names the key without printing the password', () => {
    expect(problemsOf({ channels: [{ ...channel, smtp: { ...channel.smtp, passwordEnv: 'X' } }] })).toEqual([
      'channels[0].smtp.password = ***: expected exactly one of "password" or "passwordEnv"',
    ]);
    const { passwordEnv: _env, ...imap } = channel.imap;
    expect(problemsOf({ channels: [{ ...channel, imap }] })).toEqual([
      'channels[0].imap.password is missing: expected exactly one of "password" or "passwordEnv"',
    ]);
  });

  it('never prints a password, whatever else is wrong around it', () => {
    const password = 'Tr0ub4dor&3';
    const cases: Array<[unknown, string]> = [
      // A password that is not a string.
      [{ channels: [{ ...channel, smtp: { ...channel.smtp, password: 20240101 } }] }, 'channels[0].smtp.password = ***: expected string, received number'],
      // A typo makes it an unknown key; it is still a password.
      [{ channels: [{ ...channel, smtp: { ...channel.smtp, pasword: password } }] }, 'channels[0].smtp.pasword = ***: unknown key; expected one of host, port, tls, user, password'],
      // The password pasted where the variable's name belongs: exactly when that value would be shown.
      [{ channels: [{ ...channel, imap: { ...channel.imap, passwordEnv: `${password} ` } }] }, 'channels[0].imap.passwordEnv = ***: expected an environment variable name'],
      // A whole block under a misspelt key: its password is masked inside it.
      [{ channels: [{ ...channel, smtpp: { host: 'smtp.example.test', password } }] }, 'channels[0].smtpp = {"host":"smtp.example.test","password":"***"}: unknown key; expected one of id, name, address, imap, smtp'],
    ];
    for (const [config, problem] of cases) {
      const problems = problemsOf(config);
      expect(problems, JSON.stringify(problems)).toContain(problem);
      expect(problems.join('\n')).not.toContain(password);
      expect(problems.join('\n')).not.toContain('20240101');
    }
  });

  it('shows where a file stops being JSON by line and column, never the text there (it may be a password)', () => {
    const file = fileWith('{\n  "channels": [{\n    "imap": { "password": Tr0ub4dor&3 }\n  }]\n}');
    expect(() => loadConfig(file)).toThrow(/not valid JSON; the mistake is at line 3, column 27/);
    expect(() => loadConfig(file)).not.toThrow(/Tr0ub/);
    expect(() => loadConfig(fileWith('{"attachments": {"maxFileSize": "30mb"'))).toThrow(/the file stops before the JSON is complete/);
    expect(() => loadConfig(fileWith('{"attachments": {"maxFileSize": "30mb",}}'))).toThrow(/line 1, column 40/);
  });

  it('reads a file that starts with a byte-order mark, as Notepad writes them', () => {
    expect(loadConfig(fileWith('\uFEFF{"attachments": {"maxFileSize": "5mb"}}')).config.attachments.maxFileSize).toBe(5 * 1024 * 1024);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ attachments: { maxFileSize: 'huge', allowedFormats: ['.pdf'] }, channels: [{ id: 'x' }] });
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.join('\n')).toMatch(/attachments\.allowedFormats\[0\] = "\.pdf": expected a file extension without the dot/);
    expect(problems.join('\n')).toMatch(/channels\[0\]\.address is missing/);
  });

  it('names the operator at the desk, shown to the team only unless the administrator says so', () => {
    expect(loadConfig().config.operator).toEqual({ showNameToClients: false });
    expect(loadConfig(fileWith({ operator: { name: '  Анна Смирнова ' } })).config.operator).toEqual({ name: 'Анна Смирнова', showNameToClients: false });
    expect(loadConfig(fileWith({ operator: { name: 'Anna', showNameToClients: true } })).config.operator.showNameToClients).toBe(true);
  });

  it('refuses an operator name that would break a mail header, or is empty or too long', () => {
    expect(problemsOf({ operator: { name: 'Eve\r\nBcc: all@x.test' } }).join('\n')).toMatch(/operator\.name = .*: expected a name without control characters/);
    expect(problemsOf({ operator: { name: '   ' } }).join('\n')).toMatch(/operator\.name = .*: expected a name/);
    expect(problemsOf({ operator: { name: 'x'.repeat(101) } }).join('\n')).toMatch(/operator\.name = .*: expected at most 100 characters/);
  });

  it('takes who files the Sent copy per channel: Postdesk by default, or the server', () => {
    const withCopy = (sentCopy?: string) => ({ channels: [{ ...channel, sentMailbox: 'Sent', ...(sentCopy ? { sentCopy } : {}) }] });
    expect(loadConfig(fileWith(withCopy())).config.channels[0]!.sentCopy).toBe('client');
    expect(loadConfig(fileWith(withCopy('server'))).config.channels[0]!.sentCopy).toBe('server');
    expect(problemsOf(withCopy('gmail')).join('\n')).toMatch(/channels\[0\]\.sentCopy = "gmail": expected one of "client", "server"/);
  });
});
