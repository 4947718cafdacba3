import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeConfig } from '../support/config-file';
import { tempDir } from '../support/temp-dir';
import { runWebCli, startHost } from '../support/web-host';

const tmp = tempDir('postdesk-cli-');
afterAll(() => tmp.cleanup());

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

  it('takes uploads only with the token, and answers a missing draft as data', async () => {
    const host = await startHost({ config: writeConfig(tmp.dir, {}, 'upload.json'), dataDir: path.join(tmp.dir, 'upload') });
    try {
      const token = new URL(host.url).searchParams.get('token')!;
      const post = (headers: Record<string, string>) =>
        fetch(`${host.origin}/upload/draft/999`, { method: 'POST', headers: { 'X-File-Name': 'a.pdf', ...headers }, body: '%PDF-1.4' });
      expect((await post({})).status).toBe(401);
      const answer = await post({ 'X-Postdesk-Token': token });
      expect(await answer.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no draft 999.' } });
    } finally {
      await host.stop();
    }
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
});
