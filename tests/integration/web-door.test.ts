// What may come in through the browser host's door, fed the hostile inputs themselves through
// `npm run web`'s own program: uploads far past the limit, uploads without a length, broken
// file names, a draft's 101st file, oversized JSON, files that vanish before they are read.
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/config/load';
import { openServices } from '../../main/services';
import type { RequestName } from '../../preload/contract';
import { serveStatic } from '../../main/web/static-files';
import { writeConfig } from '../support/config-file';
import { incoming } from '../support/incoming';
import { PDF, PNG } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';
import { hostApi, startHost, type RunningHost } from '../support/web-host';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** The bytes a directory holds, all the way down. */
function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirSize(full) : statSync(full).size;
  }
  return total;
}

interface StreamedUpload {
  status: number | null;
  body: string;
  /** How much the client managed to hand over before the host hung up (or all of it). */
  written: number;
}

/**
 * Streams `total` bytes, made up as they go, to the host the way a hostile client would: it
 * keeps sending whatever the host answers, and stops only when the host hangs up.
 */
function streamTo(host: RunningHost, cookie: string, pathname: string, total: number, headers: Record<string, string>): Promise<StreamedUpload> {
  return new Promise((resolve) => {
    const url = new URL(pathname, host.origin);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { Cookie: cookie, ...headers } });
    const chunk = Buffer.alloc(MB, 0x20);
    let written = 0;
    let status: number | null = null;
    let body = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      req.destroy();
      resolve({ status, body, written });
    };
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.on('data', (c: Buffer) => (body += c.toString()));
    });
    req.on('error', finish);
    req.on('close', finish);
    const pump = () => {
      while (!finished && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!finished) req.end();
    };
    pump();
  });
}

describe('the browser host at its door', () => {
  const tmp = tempDir('postdesk-door-');
  const dataDir = path.join(tmp.dir, 'data');
  let host: RunningHost;
  let cookie: string;
  let attachmentId: number;
  let messageId: number;
  let blobFile: string;

  const api = <C extends RequestName>(channel: C, input?: unknown) => hostApi(host, cookie).call(channel, input);
  const valueOf = <C extends RequestName>(channel: C, input?: unknown) => hostApi(host, cookie).value(channel, input);
  const upload = (draftId: number, fileName: string, body: Uint8Array | string) =>
    fetch(`${host.origin}/upload/draft/${draftId}`, { method: 'POST', headers: { Cookie: cookie, 'X-File-Name': fileName }, body });
  const newDraft = async () => {
    const created = await valueOf('clients.create', { name: `Client ${Math.random()}` });
    if (created.status !== 'created') throw new Error('expected a new client');
    return (await valueOf('drafts.openOutgoing', { clientId: created.client.id, channelId: 'c' })).id;
  };
  const filesOf = async (draftId: number) => (await valueOf('drafts.update', { draftId })).files;

  beforeAll(async () => {
    const config = writeConfig(tmp.dir, {
      channels: [
        {
          id: 'c', name: 'Offline', address: 'operator@example.test',
          imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        },
      ],
    });
    // A client's message with one image, as if synced earlier: the /files/* routes serve it.
    const seed = await openServices({ config: loadConfig(config).config, dataDir, lang: 'en', version: 'seed', startMail: false });
    const client = seed.clients.create({ name: 'Иванов Иван', email: 'ivan@example.test' });
    const conversationId = seed.conversations.ensure(client.id, 'c');
    const png = await seed.blobs.putBuffer(PNG);
    const raw = await seed.blobs.putBuffer(Buffer.from('Subject: scan\r\n\r\nsee the scan\r\n'));
    blobFile = seed.blobs.pathOf(png.key);
    messageId = seed.messages.insertIncoming(
      incoming(conversationId, {
        rawBlobKey: raw.key,
        attachments: [{ fileName: 'scan.png', mediaType: 'image/png', size: PNG.length, blobKey: png.key, contentId: null, inline: false }],
      }),
    );
    attachmentId = seed.attachments.listForMessage(messageId)[0]!.id;
    await seed.close();
    host = await startHost({ config, dataDir });
    cookie = await host.sessionCookie();
  }, 60_000);
  afterAll(async () => {
    await host.stop();
    tmp.cleanup();
  });

  it('refuses a 2 GB upload with 413 before reading it: no blob, the data dir does not grow, the file listed with its hint', async () => {
    const draftId = await newDraft();
    const before = dirSize(dataDir);
    const sent = await streamTo(host, cookie, `/upload/draft/${draftId}`, 2 * GB, { 'X-File-Name': 'big.pdf', 'Content-Length': String(2 * GB) });
    expect(sent.status).toBe(413);
    const tooLarge = { fileName: 'big.pdf', size: 2 * GB, problem: { code: 'too_large', size: 2 * GB, limit: 30 * MB } };
    // The answer is the draft, listing the file by its name and declared size as any refused file.
    expect(JSON.parse(sent.body)).toMatchObject({ ok: true, value: { files: [tooLarge], check: { canSend: false } } });
    // The host hung up after a few socket buffers' worth: it never read the rest.
    expect(sent.written).toBeLessThan(64 * MB);
    expect(dirSize(dataDir) - before).toBeLessThan(MB);
    expect(readdirSync(path.join(dataDir, 'blobs', 'tmp'))).toEqual([]);
    expect(await filesOf(draftId)).toMatchObject([tooLarge]);
    // …and keeps serving.
    expect((await api('channels.list')).ok).toBe(true);
  });

  it('refuses an upload that does not declare its length (411), before reading it', async () => {
    const draftId = await newDraft();
    const before = dirSize(dataDir);
    const sent = await streamTo(host, cookie, `/upload/draft/${draftId}`, 2 * GB, { 'X-File-Name': 'big.pdf', 'Transfer-Encoding': 'chunked' });
    expect(sent.status).toBe(411);
    expect(JSON.parse(sent.body).error.message).toBe('An upload must declare its Content-Length.');
    expect(sent.written).toBeLessThan(64 * MB);
    expect(dirSize(dataDir) - before).toBeLessThan(MB);
    expect(await filesOf(draftId)).toEqual([]);
  });

  it('reads no more than the declared length, whatever follows it', async () => {
    const draftId = await newDraft();
    const sent = await streamTo(host, cookie, `/upload/draft/${draftId}`, 2 * GB, { 'X-File-Name': 'short.pdf', 'Content-Length': '1000' });
    expect(sent.written).toBeLessThan(64 * MB);
    // The host may still be storing those 1000 bytes when the client is cut off.
    await expect.poll(() => filesOf(draftId)).toMatchObject([{ fileName: 'short.pdf', size: 1000 }]);
    expect((await api('channels.list')).ok).toBe(true);
  });

  it.each([
    ['missing', undefined, 'X-File-Name is missing.'],
    ['cut percent-encoding', 'report%E0%A4%A.pdf', 'X-File-Name must be the file name percent-encoded as UTF-8.'],
    ['not percent-encoding', '%ZZreport.pdf', 'X-File-Name must be the file name percent-encoded as UTF-8.'],
    ['raw UTF-8 bytes', Buffer.from('Договор.pdf').toString('latin1'), 'X-File-Name must be the file name percent-encoded as UTF-8.'],
    ['empty', '', 'X-File-Name is empty.'],
    ['only spaces', '%20%20', 'X-File-Name is empty.'],
    ['a line break', 'report%0A.pdf', 'The file was not attached: its name contains control characters (such as a line break). Rename it and attach it again.'],
    ['a NUL', 'report%00.pdf', 'The file was not attached: its name contains control characters (such as a line break). Rename it and attach it again.'],
    ['a C1 control', 'report%C2%85.pdf', 'The file was not attached: its name contains control characters (such as a line break). Rename it and attach it again.'],
    ['1001 characters', `${'a'.repeat(997)}.pdf`, 'X-File-Name is longer than 1000 characters.'],
  ])('answers a malformed X-File-Name (%s) with 400 and takes nothing', async (_case, fileName, message) => {
    const draftId = await newDraft();
    const headers: Record<string, string> = { Cookie: cookie };
    if (fileName !== undefined) headers['X-File-Name'] = fileName;
    const answer = await fetch(`${host.origin}/upload/draft/${draftId}`, { method: 'POST', headers, body: PDF });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ ok: false, error: { code: 'invalid_input', message } });
    expect(await filesOf(draftId)).toEqual([]);
  });

  it('takes a name of exactly 1000 characters, percent-encoded Cyrillic included', async () => {
    const draftId = await newDraft();
    const name = `${'я'.repeat(996)}.pdf`;
    const answer = await upload(draftId, encodeURIComponent(name), PDF);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ ok: true });
    expect(await filesOf(draftId)).toHaveLength(1);
  });

  it('takes 100 files into a draft and refuses the 101st with the reason', async () => {
    const draftId = await newDraft();
    for (let i = 1; i <= 100; i++) expect((await upload(draftId, `scan-${i}.pdf`, PDF)).status).toBe(200);
    const answer = await upload(draftId, 'scan-101.pdf', PDF);
    expect(await answer.json()).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'A message can carry at most 100 files, and this one has 100 already.' },
    });
    const files = await filesOf(draftId);
    expect(files).toHaveLength(100);
    expect(files.map((f) => f.fileName)).not.toContain('scan-101.pdf');
  });

  it('caps a JSON body at 24 MB: 413 with the reason, declared or not, and stops reading', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-Postdesk': '1' };
    const declared = await streamTo(host, cookie, '/api/clients.import', GB, { ...headers, 'Content-Length': String(GB) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request is larger than 24 MB and was not read.' } });
    expect(declared.written).toBeLessThan(64 * MB);
    const chunked = await streamTo(host, cookie, '/api/clients.import', GB, { ...headers, 'Transfer-Encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect(chunked.written).toBeLessThan(24 * MB + 64 * MB);
    expect((await api('channels.list')).ok).toBe(true);
  });

  it('answers a file whose bytes vanished after it was looked up with 404, and keeps serving', async () => {
    const get = (pathname: string) => fetch(`${host.origin}${pathname}`, { headers: { Cookie: cookie } });
    const served = await get(`/files/${attachmentId}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    rmSync(blobFile);
    expect((await get(`/files/${attachmentId}`)).status).toBe(404);
    expect((await get(`/files/${attachmentId}/download`)).status).toBe(404);
    // The ZIP has promised its headers before it reaches the missing file: it can only break off.
    await expect(get(`/files/message/${messageId}/zip`).then((r) => r.arrayBuffer())).rejects.toThrow();
    expect((await get(`/files/message/${messageId}/original`)).status).toBe(200);
    expect((await api('channels.list')).ok).toBe(true);
    expect(host.process.exitCode).toBeNull();
  });
});

describe('the built renderer’s files', () => {
  const tmp = tempDir('postdesk-static-');
  const root = path.join(tmp.dir, 'renderer');
  const server = createServer((req, res) => {
    serveStatic(root, new URL(req.url!, 'http://x').pathname, res)
      .then((served) => {
        if (!served) res.writeHead(404).end('not found');
      })
      .catch(() => res.destroy());
  });
  let origin: string;

  beforeAll(async () => {
    mkdirSync(path.join(root, 'assets.js'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Postdesk</title>');
    writeFileSync(path.join(root, 'gone.js'), 'export {}');
    // stat() calls it a regular file; every read of it fails (EIO), as a file does whose disk fails or that vanishes mid-way.
    symlinkSync('/proc/self/mem', path.join(root, 'unreadable.js'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    tmp.cleanup();
  });

  it('answers a file that is gone, a folder, or a file that cannot be read with 404, and goes on serving', async () => {
    rmSync(path.join(root, 'gone.js'));
    for (const name of ['gone.js', 'assets.js', 'unreadable.js', 'never-there.js']) {
      expect((await fetch(`${origin}/${name}`)).status, name).toBe(404);
    }
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Postdesk</title>');
  });
});
