// Malware scanning with a real clamd (issue 10, item 6), and the checks of received files
// (item 5): clean and infected files through clamd's INSTREAM, outgoing and incoming, and a
// clamd that cannot be reached — then comes back.
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { clamdScanner, parseClamdAddress } from '../../main/files/virus-scanner';
import { openServices, type Services } from '../../main/services';
import { serveFile } from '../../main/web/file-routes';
import { startClamd, type Clamd } from '../support/clamd';
import { buildMessage } from '../support/mail-builder';
import { freePort } from '../support/ports';
import { DOCX, DOCX_PARTS, EICAR, EXE, PDF, PNG, pdfWith, zipOf } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';
import { queued } from '../support/queued';

// A real PDF the test database names as infected: a clean-looking document, found by its hash.
const INFECTED_PDF = pdfWith('Invoice 2291 (infected sample)');
const EICAR_NAME = 'Eicar-Test-Signature';
const PDF_NAME = 'Postdesk.Test.InfectedPdf';
const SIGNATURES = [
  { bytes: EICAR, name: EICAR_NAME },
  { bytes: INFECTED_PDF, name: PDF_NAME },
];
// clamd names signatures from a local database "….UNOFFICIAL".
const found = (name: string) => ({ status: 'infected', signature: `${name}.UNOFFICIAL` });

/** Services whose mail servers are never contacted, scanning with clamd at this address (none: no scanner). */
function servicesFor(dataDir: string, clamd?: string): Promise<Services> {
  const config = configWith({
    channels: [
      {
        id: 'c', name: 'C', address: 'operator@example.test',
        imap: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
        smtp: { host: '127.0.0.1', port: 1, tls: 'none', password: 'x' },
      },
    ],
    ...(clamd ? { scan: { clamd } } : {}),
  });
  return openServices({ config, dataDir, lang: 'en', version: 'test', startMail: false });
}

/** A client's mail with these files, stored as a sync would store it; resolves once its files are checked. */
async function receive(services: Services, subject: string, files: Array<{ filename: string; content: Buffer }>) {
  const raw = await buildMessage({ from: 'Client <client@example.test>', to: 'operator@example.test', subject, attachments: files });
  const checked = new Promise<void>((resolve) => {
    const off = services.events.subscribe((event) => {
      if (event === 'attachments.checked') {
        off();
        resolve();
      }
    });
  });
  const messageId = (await services.ingest.ingest('c', raw))!;
  await checked;
  return services.messages.get(messageId)!;
}

const checkOf = (message: { attachments: Array<{ fileName: string; check: unknown }> }) =>
  Object.fromEntries(message.attachments.map((a) => [a.fileName, a.check]));

let clamd: Clamd;
beforeAll(async () => {
  clamd = await startClamd(SIGNATURES);
});
afterAll(async () => clamd?.stop());

describe('the clamd client', () => {
  it('says clean, infected with the signature, or not scanned with the reason', async () => {
    const scanner = clamdScanner(parseClamdAddress(clamd.address)!);
    expect(await scanner.scan(() => Readable.from([PDF]))).toEqual({ status: 'clean' });
    expect(await scanner.scan(() => Readable.from([EICAR]))).toEqual(found(EICAR_NAME));
    expect(await scanner.scan(() => Readable.from([INFECTED_PDF]))).toEqual(found(PDF_NAME));
    // Several INSTREAM chunks, split wherever the source's chunks end.
    const big = Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024 + 17, 0x20)]);
    expect(await scanner.scan(() => Readable.from([big.subarray(0, 100_001), big.subarray(100_001)]))).toEqual({ status: 'clean' });

    const closed = clamdScanner({ host: '127.0.0.1', port: await freePort() });
    expect(await closed.scan(() => Readable.from([EICAR]))).toEqual({ status: 'not_scanned', reason: expect.stringMatching(/^clamd at 127\.0\.0\.1:\d+: connection refused$/) });
    const noSocket = clamdScanner({ path: '/tmp/no-such-clamd.sock' });
    expect(await noSocket.scan(() => Readable.from([EICAR]))).toEqual({ status: 'not_scanned', reason: 'clamd at /tmp/no-such-clamd.sock: no such socket' });
  });

  it('never takes silence, a hang-up or an error answer for "clean"', async () => {
    const peers = { silent: (_s: Socket) => undefined, hangUp: (s: Socket) => s.destroy(), limit: (s: Socket) => s.end('INSTREAM size limit exceeded. ERROR\0') };
    for (const [name, behave] of Object.entries(peers)) {
      const peer = createNetServer((socket) => {
        socket.on('error', () => undefined);
        behave(socket);
      });
      await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
      const port = (peer.address() as AddressInfo).port;
      try {
        const verdict = await clamdScanner({ host: '127.0.0.1', port }, { timeoutMs: 500 }).scan(() => Readable.from([PDF]));
        expect(verdict.status, name).toBe('not_scanned');
        expect(verdict).toEqual({
          status: 'not_scanned',
          reason: {
            silent: `clamd at 127.0.0.1:${port}: no answer in time`,
            hangUp: `clamd at 127.0.0.1:${port}: the connection closed without an answer`,
            limit: 'clamd answered: INSTREAM size limit exceeded.',
          }[name],
        });
      } finally {
        peer.close();
      }
    }
  });

  it('reads the config as host:port or a socket path, and nothing else', () => {
    expect(parseClamdAddress('127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(parseClamdAddress('[::1]:3310')).toEqual({ host: '::1', port: 3310 });
    expect(parseClamdAddress('/run/clamav/clamd.ctl')).toEqual({ path: '/run/clamav/clamd.ctl' });
    for (const bad of ['clamd', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'run/clamd.sock', 'tcp://127.0.0.1:3310']) expect(parseClamdAddress(bad), bad).toBeNull();
    expect(() => configWith({ scan: { clamd: 'localhost' } })).toThrow(/scan\.clamd = "localhost": expected "host:port" or the absolute path/);
  });
});

describe('outgoing files through clamd', () => {
  const tmp = tempDir('postdesk-scan-out-');
  let services: Services;
  let conversationId: number;
  beforeAll(async () => {
    services = await servicesFor(tmp.dir, clamd.address);
    conversationId = services.conversations.ensure(services.clients.create({ name: 'Client', email: 'client@example.test' }).id, 'c');
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('makes an infected file invalid with its signature as the hint, and sends the clean ones', async () => {
    const draft = services.drafts.open(conversationId);
    await services.drafts.attachStream(draft.id, 'Счёт 2291.pdf', Readable.from([INFECTED_PDF]));
    await services.drafts.attachStream(draft.id, 'contract.docx', Readable.from([DOCX]));
    // EICAR under a name that is also wrong: the virus is what the operator hears about.
    await services.drafts.attachStream(draft.id, 'eicar.pdf', Readable.from([EICAR]));
    const view = services.drafts.update(draft.id, { text: 'Documents' });
    expect(view.files.map((f) => [f.fileName, f.problem])).toEqual([
      ['eicar.pdf', { code: 'infected', signature: `${EICAR_NAME}.UNOFFICIAL` }],
      ['Счёт 2291.pdf', { code: 'infected', signature: `${PDF_NAME}.UNOFFICIAL` }],
      ['contract.docx', null],
    ]);
    await expect(services.drafts.send(draft.id)).rejects.toThrow(/cannot be sent yet/);
    services.drafts.removeInvalid(draft.id);
    const { messageId } = queued(await services.drafts.send(draft.id));
    expect(services.messages.get(messageId)!.attachments.map((a) => a.fileName)).toEqual(['contract.docx']);
  });
});

describe('received files through clamd', () => {
  const tmp = tempDir('postdesk-scan-in-');
  let services: Services;
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    services = await servicesFor(tmp.dir, clamd.address);
    // The browser host's file routes, on their own (the host's token check is not what is tested here).
    const deps = { ...services, clientNameOf: () => 'Client' };
    server = createServer((req, res) => void serveFile(deps, new URL(req.url!, 'http://x').pathname, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await services.close();
    tmp.cleanup();
  });

  it('blocks infected files (name and signature) and warns of files that are not what they say', async () => {
    const message = await receive(services, 'Files', [
      { filename: 'eicar.com', content: EICAR },
      { filename: 'Счёт 2291.pdf', content: INFECTED_PDF },
      { filename: 'invoice.pdf', content: EXE },
      { filename: 'report.docm', content: zipOf([...DOCX_PARTS, { name: 'word/vbaProject.bin', content: 'VBA' }]) },
      { filename: 'photos.zip', content: zipOf([{ name: 'photo.png', content: PNG }, { name: 'viewer.scr', content: EXE }]) },
      { filename: 'photo.png', content: PNG },
    ]);
    expect(checkOf(message)).toEqual({
      'eicar.com': { warning: null, scan: found(EICAR_NAME) },
      'Счёт 2291.pdf': { warning: null, scan: found(PDF_NAME) },
      'invoice.pdf': { warning: { code: 'content_mismatch', extension: 'pdf', actual: 'exe' }, scan: { status: 'clean' } },
      'report.docm': { warning: { code: 'macros', extension: 'docm' }, scan: { status: 'clean' } },
      'photos.zip': { warning: { code: 'contains_program', extension: 'zip', entry: 'viewer.scr' }, scan: { status: 'clean' } },
      'photo.png': { warning: null, scan: { status: 'clean' } },
    });
    const id = (name: string) => message.attachments.find((a) => a.fileName === name)!.id;

    // Saving: infected refused, whatever the operator accepts; warned ones asked about once.
    await expect(services.saving.saveOne(id('eicar.com'), true)).rejects.toMatchObject({
      code: 'forbidden',
      details: { reason: 'infected', fileName: 'eicar.com', signature: `${EICAR_NAME}.UNOFFICIAL` },
    });
    expect(await services.saving.saveOne(id('invoice.pdf'))).toEqual({
      status: 'confirm',
      files: [{ fileName: 'invoice.pdf', check: { warning: { code: 'content_mismatch', extension: 'pdf', actual: 'exe' }, scan: { status: 'clean' } } }],
    });
    expect(await services.saving.saveOne(id('invoice.pdf'), true)).toMatchObject({ status: 'download', fileName: 'invoice.pdf' });
    expect(await services.saving.saveOne(id('photo.png'))).toMatchObject({ status: 'download', fileName: 'photo.png' });
    const all = await services.saving.saveAll(message.id, 'zip');
    expect(all.status === 'confirm' && all.files.map((f) => f.fileName)).toEqual(['invoice.pdf', 'report.docm', 'photos.zip']);
    expect(await services.saving.saveAll(message.id, 'folder', true)).toMatchObject({
      status: 'pick-folder',
      files: ['invoice.pdf', 'report.docm', 'photos.zip', 'photo.png'].map((fileName) => ({ fileName })),
    });
    await expect(services.saving.saveOriginal(message.id)).rejects.toMatchObject({ code: 'forbidden', details: { reason: 'infected' } });

    // Serving: the routes refuse the infected bytes, inline or as a download, and leave them out of the ZIP.
    for (const url of [`/files/${id('eicar.com')}`, `/files/${id('eicar.com')}/download`, `/files/message/${message.id}/original`]) {
      const response = await fetch(origin + url);
      expect(response.status, url).toBe(403);
      expect(await response.text()).toBe(`eicar.com cannot be saved or opened: a virus was found in it (${EICAR_NAME}.UNOFFICIAL).`);
    }
    expect((await fetch(`${origin}/files/${id('photo.png')}`)).status).toBe(200);
    const zip = await fetch(`${origin}/files/message/${message.id}/zip`);
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.includes(Buffer.from('photo.png'))).toBe(true);
    expect(bytes.includes(Buffer.from('eicar.com'))).toBe(false);
    expect(bytes.includes(EICAR)).toBe(false);
  });

  it('refuses "Download all" of a message whose every file is infected', async () => {
    const message = await receive(services, 'Only a virus', [{ filename: 'eicar.com', content: EICAR }]);
    await expect(services.saving.saveAll(message.id, 'zip', true)).rejects.toMatchObject({ code: 'forbidden', details: { reason: 'infected' } });
    expect((await fetch(`${origin}/files/message/${message.id}/zip`)).status).toBe(403);
  });
});

describe('clamd unreachable, then back', () => {
  const tmp = tempDir('postdesk-scan-away-');
  let services: Services;
  let port: number;
  let late: Clamd | undefined;
  beforeAll(async () => {
    port = await freePort();
    services = await servicesFor(tmp.dir, `127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await services.close();
    await late?.stop();
    tmp.cleanup();
  });

  it('shows received files as not scanned, asks before saving them, and scans them once clamd answers', async () => {
    const message = await receive(services, 'While away', [
      { filename: 'eicar.com', content: EICAR },
      { filename: 'photo.png', content: PNG },
    ]);
    const away = { status: 'not_scanned', reason: `clamd at 127.0.0.1:${port}: connection refused` };
    expect(checkOf(message)).toEqual({ 'eicar.com': { warning: null, scan: away }, 'photo.png': { warning: null, scan: away } });
    const photo = message.attachments.find((a) => a.fileName === 'photo.png')!;
    expect(await services.saving.saveOne(photo.id)).toMatchObject({ status: 'confirm', files: [{ fileName: 'photo.png', check: { scan: away } }] });

    // The outgoing side waits too, with the reason, and is never sent unscanned.
    const conversationId = message.conversationId;
    const draft = services.drafts.open(conversationId);
    await services.drafts.attachStream(draft.id, 'contract.pdf', Readable.from([PDF]));
    await services.drafts.attachStream(draft.id, 'again.pdf', Readable.from([INFECTED_PDF]));
    let view = services.drafts.update(draft.id, { text: 'Here it is' });
    expect(view.files.map((f) => f.problem)).toEqual([
      { code: 'scan_unavailable', reason: away.reason },
      { code: 'scan_unavailable', reason: away.reason },
    ]);
    expect(view.check.canSend).toBe(false);
    await expect(services.drafts.send(draft.id)).rejects.toMatchObject({
      code: 'invalid_input',
      message: `The virus check is unavailable (${away.reason}): the message waits until it is back.`,
      details: { reason: 'scan_unavailable' },
    });

    late = await startClamd(SIGNATURES, port);
    view = await services.drafts.recheck(draft.id);
    expect(view.files.map((f) => [f.fileName, f.problem])).toEqual([
      ['again.pdf', { code: 'infected', signature: `${PDF_NAME}.UNOFFICIAL` }],
      ['contract.pdf', null],
    ]);
    services.drafts.removeInvalid(draft.id);
    await expect(services.drafts.send(draft.id)).resolves.toMatchObject({ conversationId });

    // Saving scans first what was not scanned: the virus is found before any byte leaves.
    const eicar = message.attachments.find((a) => a.fileName === 'eicar.com')!;
    await expect(services.saving.saveOne(eicar.id, true)).rejects.toMatchObject({ details: { reason: 'infected' } });
    expect(checkOf(services.messages.get(message.id)!)).toEqual({
      'eicar.com': { warning: null, scan: found(EICAR_NAME) },
      'photo.png': { warning: null, scan: { status: 'clean' } },
    });
  });
});

describe('the pass at start', () => {
  const tmp = tempDir('postdesk-scan-start-');
  afterAll(() => tmp.cleanup());

  it('scans files received while no scanner was configured once one is', async () => {
    let services = await servicesFor(tmp.dir);
    const message = await receive(services, 'Before the scanner', [{ filename: 'eicar.com', content: EICAR }]);
    expect(checkOf(message)).toEqual({ 'eicar.com': { warning: null, scan: { status: 'off' } } });
    await services.close();

    services = await servicesFor(tmp.dir, clamd.address);
    try {
      await expect.poll(() => checkOf(services.messages.get(message.id)!)).toEqual({ 'eicar.com': { warning: null, scan: found(EICAR_NAME) } });
    } finally {
      await services.close();
    }
  });
});
