// The README's first command on a fresh clone (issue 12, item 7): copy the shipped example, start
// Postdesk on it. Here as the browser host (`npm run web`), which is what runs without Electron;
// the desktop app reads the same file through the same loader.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { hostApi, ROOT, startHost } from '../support/web-host';

const tmp = tempDir('postdesk-example-');
afterAll(() => tmp.cleanup());

describe('cp config/example.json my-postdesk.json, then start with --config my-postdesk.json', () => {
  it('starts, with both example channels waiting for their real servers and passwords', async () => {
    const mine = path.join(tmp.dir, 'my-postdesk.json');
    copyFileSync(path.join(ROOT, 'config', 'example.json'), mine);
    // The passwords' variables are not set, as on a machine where nobody has filled the example in yet.
    const host = await startHost({ config: mine, dataDir: path.join(tmp.dir, 'data'), env: { SUPPORT_MAIL_PASSWORD: undefined, SALES_MAIL_PASSWORD: undefined } });
    try {
      const api = hostApi(host, await host.sessionCookie());
      expect((await api.value('channels.list')).map((c) => [c.name, c.address])).toEqual([
        ['Support', 'support@example.com'],
        ['Sales', 'sales@example.com'],
      ]);
      expect((await api.value('app.info')).attachmentRules.allowedFormats).toContain('pdf');
    } finally {
      await host.stop();
    }
  });
});
