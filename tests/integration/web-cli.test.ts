import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeConfig } from '../support/config-file';
import { tempDir } from '../support/temp-dir';
import { recordingOpener, runWebCli, startHost } from '../support/web-host';

const tmp = tempDir('postdesk-cli-');
afterAll(() => tmp.cleanup());

/** A channel whose IMAP block carries the given password fields. */
function channelWith(imap: Record<string, string>) {
  return {
    id: 'support', name: 'Support', address: 'support@example.test',
    imap: { host: 'imap.example.test', ...imap },
    smtp: { host: 'smtp.example.test', passwordEnv: 'MAIL_PASSWORD' },
  };
}

async function exitOf(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = runWebCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

describe('npm run web', () => {
  it('prints exactly one "Postdesk running at" line with a loopback URL and its token', async () => {
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'empty.json'), dataDir: path.join(tmp.dir, 'ok') });
    try {
      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
      expect(host.output.filter((l) => l.startsWith('Postdesk running at '))).toHaveLength(1);
      expect(existsSync(path.join(tmp.dir, 'ok', 'postdesk.sqlite'))).toBe(true);
    } finally {
      await host.stop();
    }
  });

  it('lets a printed link in once: the first load swaps it for the session cookie, the same link then opens nothing', async () => {
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'links.json'), dataDir: path.join(tmp.dir, 'links') });
    try {
      const first = await fetch(host.url, { redirect: 'manual' });
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('<meta http-equiv="refresh" content="0;url=/">');
      const cookie = first.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^postdesk_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
      // The session is not the code that was printed.
      expect(cookie).not.toContain(new URL(host.url).searchParams.get('token'));

      const again = await fetch(host.url, { redirect: 'manual' });
      expect(again.status).toBe(401);
      expect(again.headers.get('set-cookie')).toBeNull();
      expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/each link Postdesk prints opens it once\. Press Enter in the terminal/);

      // Enter in the host's terminal prints another link, good once, and the first session lives on.
      const fresh = await host.newLink();
      expect(fresh).toMatch(new RegExp(`^${host.origin}/\\?token=[A-Za-z0-9_-]{43}$`));
      expect(host.output).toContain(`Link for another browser: ${fresh}`);
      expect((await fetch(fresh, { redirect: 'manual' })).status).toBe(200);
      expect((await fetch(fresh, { redirect: 'manual' })).status).toBe(401);
      // (Asked of the API, not of the page: the built renderer need not exist for this test.)
      const session = await fetch(`${host.origin}/api/channels.list`, {
        method: 'POST',
        headers: { Cookie: cookie.split(';')[0]!, 'Content-Type': 'application/json', 'X-Postdesk': '1', Origin: host.origin },
        body: JSON.stringify({}),
      });
      expect(session.status).toBe(200);
      expect(await session.json()).toMatchObject({ ok: true });
    } finally {
      await host.stop();
    }
  });

  it('takes uploads only with the session cookie, and answers a missing draft as data', async () => {
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'upload.json'), dataDir: path.join(tmp.dir, 'upload') });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`${host.origin}/upload/draft/999`, { method: 'POST', headers: { 'X-File-Name': 'a.pdf', ...headers }, body: '%PDF-1.4' });
      expect((await post({})).status).toBe(401);
      const answer = await post({ Cookie: await host.sessionCookie() });
      expect(await answer.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no draft 999.' } });
    } finally {
      await host.stop();
    }
  });

  it('opens the system browser on a private file that redirects, never on the link, and removes the file once the link is used', async () => {
    const opener = recordingOpener(path.join(tmp.dir, 'open-used'));
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'open.json'), dataDir: path.join(tmp.dir, 'open-used'), open: true, env: opener.env });
    try {
      await expect.poll(opener.args).not.toBeNull();
      const args = opener.args()!;
      // The opener's command line, which any local user can read from the process list, holds a path only.
      expect(args).toHaveLength(1);
      expect(args[0]).not.toContain(new URL(host.url).searchParams.get('token'));
      expect(args[0]).not.toContain('127.0.0.1');
      const file = args[0]!;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).uid).toBe(process.getuid!());
      expect(readFileSync(file, 'utf8')).toContain(`<meta http-equiv="refresh" content="0;url=${host.url}">`);

      // The browser follows the redirect: the link is spent, and the file and its folder go.
      expect((await fetch(host.url, { redirect: 'manual' })).status).toBe(200);
      await expect.poll(() => existsSync(path.dirname(file))).toBe(false);
    } finally {
      await host.stop();
    }
  });

  it('removes the launch file when the host stops before a browser used it', async () => {
    const opener = recordingOpener(path.join(tmp.dir, 'open-unused'));
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'open2.json'), dataDir: path.join(tmp.dir, 'open-unused'), open: true, env: opener.env });
    await expect.poll(opener.args).not.toBeNull();
    const file = opener.args()![0]!;
    expect(existsSync(file)).toBe(true);
    await host.stop();
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it.each([
    [{ attachments: { maxFileSize: '30 parsecs' } }, /attachments\.maxFileSize = "30 parsecs": expected a size/],
    [{ attachments: { allowedFormats: [] } }, /attachments\.allowedFormats = \[\]: expected a non-empty list/],
    [{ colour: 'blue' }, /colour = "blue": unknown key; expected one of attachments, downloads, channels/],
  ])('exits non-zero on a bad config %j, says why, and writes no data', async (content, message) => {
    const dataDir = path.join(tmp.dir, `refused-${Math.random().toString(36).slice(2)}`);
    const config = writeConfig(tmp.dir, content, `bad-${Math.random().toString(36).slice(2)}.json`);
    const { code, stdout, stderr } = await exitOf(['--config', config, '--data-dir', dataDir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain(config);
    expect(stdout).not.toMatch(/Postdesk running at/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each([
    ['both password fields', JSON.stringify({ channels: [channelWith({ password: 'Tr0ub4dor&3', passwordEnv: 'MAIL_PASSWORD' })] }), /channels\[0\]\.imap\.password = \*\*\*: expected exactly one of "password" or "passwordEnv"/],
    ['a password without its quotes', `{"channels": [{"imap": {"password": Tr0ub4dor&3}}]}`, /not valid JSON; the mistake is at line 1, column 37/],
  ])('never prints a password from a refused config (%s)', async (_case, text, message) => {
    const config = path.join(tmp.dir, `secret-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(config, text);
    const { code, stdout, stderr } = await exitOf(['--config', config, '--data-dir', path.join(tmp.dir, 'secret-data')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout + stderr).not.toContain('Tr0ub4dor');
  });

  it('reads the config and data dir from POSTDESK_CONFIG and POSTDESK_DATA_DIR', async () => {
    const dataDir = path.join(tmp.dir, 'from-env');
    const config = path.join(tmp.dir, 'broken.json');
    writeFileSync(config, '{ "attachments": { not json');
    const { code, stderr } = await exitOf([], { POSTDESK_CONFIG: config, POSTDESK_DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/broken\.json[\s\S]*not valid JSON/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses an unknown option', async () => {
    const { code, stderr } = await exitOf(['--lang', 'de']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--lang de: expected "en" or "ru"/);
  });

  it('refuses the desktop app\'s test-only --dialog-answers: it has no native dialog to answer', async () => {
    const { code, stdout, stderr } = await exitOf(['--config', writeConfig(tmp.dir, {}, 'answers.json'), '--data-dir', path.join(tmp.dir, 'answers'), '--dialog-answers', path.join(tmp.dir, 'a.json')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--dialog-answers answers the desktop app's native dialogs; the browser host has none/);
    expect(existsSync(path.join(tmp.dir, 'answers'))).toBe(false);
  });
});
