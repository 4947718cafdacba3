import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requests } from '../../preload/contract';
import { startDesktopApp, type DesktopApp } from '../../main/app/desktop';
import { globalAgent } from 'node:https';
import { recorded, session, shell, type BrowserWindow, type WebContents } from '../support/electron-stand-in';
import { startHttpsRecorder } from '../support/https-recorder';
import { PDF, PNG } from '../support/sample-files';
import { OFFLINE_CHANNEL } from '../support/config-file';
import { EVENT_PREFIX } from '../../preload/names';
import { incoming } from '../support/incoming';
import { menuItem } from '../support/menu';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'postdesk-shell-'));
const paths = { rendererDir: path.join(tmp, 'renderer'), preload: '/app/dist/preload/index.cjs' };

function writeConfig(content: unknown): string {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

async function start(config: unknown, dataDir = path.join(tmp, `data-${Math.random().toString(36).slice(2)}`), args: string[] = []) {
  const argv = ['/usr/bin/electron', '/app', '--config', writeConfig(config), '--data-dir', dataDir, ...args];
  return { desktop: await startDesktopApp(argv, paths), dataDir };
}

/**
 * The log opens its file asynchronously; a test that takes its folder away waits for that first,
 * or the log would fail to open at all (and never close), which is not what the test is about.
 */
async function logFileOpen(desktop: DesktopApp | null): Promise<string> {
  const { file, dir } = desktop!.services.log;
  await vi.waitFor(() => expect(existsSync(file)).toBe(true));
  return dir;
}

function invoke(channel: string, sender: WebContents, frame: unknown, input?: unknown) {
  return recorded.handlers.get(channel)!({ sender, senderFrame: frame }, input);
}

describe('the desktop shell (against a stand-in electron module)', () => {
  let desktop: DesktopApp | null = null;

  beforeEach(() => recorded.reset());
  afterEach(async () => {
    await desktop?.services.close();
  });

  it('puts the count of Active conversations with unread mail on the dock, and notifies of new client mail unless looked at or turned off; a click opens the conversation', async () => {
    ({ desktop } = await start({ channels: [OFFLINE_CHANNEL] }));
    const { services } = desktop!;
    const window = recorded.windows[0] as BrowserWindow;
    expect(recorded.badge).toBe(0);
    const mail = (subject: string) =>
      Buffer.from(`From: Иван Петров <ivan@example.test>\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.test>\r\n\r\nHello\r\n`);
    await services.ingest.ingest(OFFLINE_CHANNEL.id, mail('Where is my order'));
    expect(recorded.badge).toBe(1);
    expect(recorded.notifications.map((n) => n.options)).toEqual([{ title: 'Новое письмо от Иван Петров', body: 'Where is my order' }]);

    recorded.notifications[0]!.emit('click');
    expect(window.isFocused()).toBe(true);
    const [conversation] = services.conversations.list('active');
    expect(window.webContents.sent).toContainEqual({ channel: `${EVENT_PREFIX}app.openConversation`, payload: { conversationId: conversation!.id } });

    // Looking at the window: no notification. Turned off: none either. Opened: the count goes.
    await services.ingest.ingest(OFFLINE_CHANNEL.id, mail('Second question'));
    expect(recorded.notifications).toHaveLength(1);
    window.focused = false;
    services.settings.notifications = false;
    await services.ingest.ingest(OFFLINE_CHANNEL.id, mail('Third question'));
    expect(recorded.notifications).toHaveLength(1);
    services.conversationService.open(conversation!.id);
    expect(recorded.badge).toBe(0);
  });

  it('registers every contract channel with ipcMain.handle', async () => {
    ({ desktop } = await start({}));
    expect([...recorded.handlers.keys()].sort()).toEqual(Object.keys(requests).sort());
  });

  it('creates the window with exactly the security preferences and loads our own origin', async () => {
    ({ desktop } = await start({}));
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0] as BrowserWindow;
    expect(window.options.webPreferences).toEqual({
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    });
    expect(window.webContents.loadedUrl).toBe('postdesk://app/index.html');
  });

  it('answers our own main frame through the handler table', async () => {
    ({ desktop } = await start({}));
    const contents = recorded.windows[0]!.webContents;
    const result = await invoke('app.info', contents, contents.mainFrame);
    expect(result).toMatchObject({ ok: true, value: { lang: 'ru', attachmentRules: { maxFileSize: 30 * 1024 * 1024 } } });
  });

  it('refuses a foreign frame, another window or another origin before any service runs', async () => {
    ({ desktop } = await start({}));
    const contents = recorded.windows[0]!.webContents;
    const main = contents.mainFrame;
    // A check that ran would answer not_found for channel "x"; a refused call never gets that far.
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'This frame may not call Postdesk.' } };
    const subframe = { ...main, routingId: main.routingId + 100 };
    const otherOrigin = { ...main, url: 'https://evil.example/' };
    const otherContents = { mainFrame: main } as unknown as WebContents;
    expect(await invoke('channels.check', contents, subframe, { id: 'x' })).toEqual(forbidden);
    expect(await invoke('channels.check', contents, otherOrigin, { id: 'x' })).toEqual(forbidden);
    expect(await invoke('channels.check', otherContents, main, { id: 'x' })).toEqual(forbidden);
    expect(await invoke('channels.check', contents, null, { id: 'x' })).toEqual(forbidden);
  });

  it('refuses malformed input with invalid_input before the service sees it', async () => {
    ({ desktop } = await start({}));
    const contents = recorded.windows[0]!.webContents;
    const result = await invoke('conversations.list', contents, contents.mainFrame, { status: "'; DROP TABLE x" });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('opens the file dialog with the configured formats first and "All files" second, and checks what was chosen', async () => {
    ({ desktop } = await start({ attachments: { allowedFormats: ['pdf', 'ODT'], maxFileSize: '5mb', maxTotalSize: '5mb' } }));
    const { services } = desktop!;
    services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c');
    const contents = recorded.windows[0]!.webContents;
    const draft = (await invoke('drafts.open', contents, contents.mainFrame, { conversationId })) as { value: { id: number } };
    const result = await invoke('drafts.pickFiles', contents, contents.mainFrame, { draftId: draft.value.id });
    expect(recorded.openDialogs).toHaveLength(1);
    expect(recorded.openDialogs[0]!.options).toEqual({
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Разрешенные файлы', extensions: ['pdf', 'odt'] },
        { name: 'Все файлы', extensions: ['*'] },
      ],
    });
    // The stand-in dialog answers a path that does not exist: the file is listed, unreadable.
    expect(result).toMatchObject({
      ok: true,
      value: { files: [{ fileName: 'chosen.pdf', problem: { code: 'unreadable', reason: 'ENOENT' } }], check: { canSend: false } },
    });
  });

  it('takes a dropped or pasted file as its bytes over IPC, checked by the same policy, and nothing that is not bytes', async () => {
    ({ desktop } = await start({}));
    const { services } = desktop!;
    services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c');
    const contents = recorded.windows[0]!.webContents;
    const draft = (await invoke('drafts.open', contents, contents.mainFrame, { conversationId })) as { value: { id: number } };
    const pdf = new TextEncoder().encode('%PDF-1.7\nСчёт №7');
    const attach = (fileName: string, bytes: unknown, frame: unknown = contents.mainFrame) =>
      invoke('drafts.attachBytes', contents, frame, { draftId: draft.value.id, fileName, bytes });

    expect(await attach('Счёт №7.pdf', pdf, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await attach('list.pdf', [37, 80, 68, 70])).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await attach('Счёт №7.pdf', pdf);
    const result = await attach('setup.pdf', new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]));
    expect(result).toMatchObject({
      ok: true,
      value: { files: [{ fileName: 'setup.pdf', problem: { code: 'content_mismatch', actual: 'exe' } }, { fileName: 'Счёт №7.pdf', problem: null }] },
    });
    const stored = services.db.prepare("SELECT blob_key AS key FROM draft_attachments WHERE file_name = 'Счёт №7.pdf'").get() as { key: string };
    expect(readFileSync(services.blobs.pathOf(stored.key)).equals(Buffer.from(pdf))).toBe(true);
  });

  it('saves an attachment through the native Save dialog, proposing its own name, byte for byte', async () => {
    ({ desktop } = await start({}));
    const { services } = desktop!;
    const bytes = Buffer.from('%PDF-1.4 the contract');
    const blob = await services.blobs.putBuffer(bytes);
    services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c');
    const messageId = services.messages.insertIncoming(
      incoming(conversationId, {
        attachments: [{ fileName: 'Договор №5.pdf', mediaType: 'application/pdf', size: bytes.length, blobKey: blob.key, contentId: null, inline: false }],
      }),
    );
    const attachmentId = services.attachments.listForMessage(messageId)[0]!.id;
    const contents = recorded.windows[0]!.webContents;

    expect(await invoke('attachments.save', contents, contents.mainFrame, { attachmentId })).toEqual({ ok: true, value: { status: 'cancelled' } });
    recorded.savePath = path.join(tmp, 'saved-by-operator.pdf');
    expect(await invoke('attachments.save', contents, contents.mainFrame, { attachmentId })).toEqual({
      ok: true,
      value: { status: 'saved', files: [recorded.savePath] },
    });
    expect(recorded.saveDialogs.map((d) => d.options)).toEqual([{ defaultPath: 'Договор №5.pdf' }, { defaultPath: 'Договор №5.pdf' }]);
    expect(readFileSync(recorded.savePath).equals(bytes)).toBe(true);
  });

  it('serves attachment images and PDFs on its own scheme (a PDF readable by the app alone), never another file or one found infected', async () => {
    ({ desktop } = await start({}));
    const { services } = desktop!;
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
    const blob = await services.blobs.putBuffer(png);
    const pdf = await services.blobs.putBuffer(PDF);
    services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c');
    const file = { mediaType: 'image/png', size: png.length, blobKey: blob.key, contentId: null, inline: false };
    const document = { ...file, mediaType: 'application/octet-stream', size: PDF.length, blobKey: pdf.key };
    const messageId = services.messages.insertIncoming(
      incoming(conversationId, {
        attachments: [{ ...file, fileName: 'photo.png' }, { ...file, fileName: 'infected.png' }, { ...document, fileName: 'scan.pdf' }, { ...document, fileName: 'letter.docx' }],
      }),
    );
    const [clean, infected, scan, letter] = services.attachments.listForMessage(messageId);
    // What clamd said of the second one (tests/integration/virus-scan.test.ts runs the real clamd).
    services.attachments.saveCheck(infected!.id, { warning: null, scan: { status: 'infected', signature: 'Eicar-Test-Signature.UNOFFICIAL' } }, Date.now());
    const serve = recorded.protocolHandlers.get('postdesk-file')!;

    const ok = await serve(new Request(`postdesk-file://attachment/${clean!.id}`));
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(png)).toBe(true);
    // pdf.js in the page (postdesk://app) fetches it: bytes, for that origin only, never a document to open.
    expect(recorded.schemes).toContainEqual({ scheme: 'postdesk-file', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } });
    const forViewer = await serve(new Request(`postdesk-file://attachment/${scan!.id}`));
    expect([forViewer.status, forViewer.headers.get('Content-Type'), forViewer.headers.get('Access-Control-Allow-Origin')]).toEqual([200, 'application/octet-stream', 'postdesk://app']);
    expect(Buffer.from(await forViewer.arrayBuffer()).equals(PDF)).toBe(true);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBeNull();
    // A Word document reaches the page as HTML made by main (attachments.preview), never as bytes.
    expect((await serve(new Request(`postdesk-file://attachment/${letter!.id}`))).status).toBe(404);
    const refused = await serve(new Request(`postdesk-file://attachment/${infected!.id}`));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('infected.png cannot be saved or opened: a virus was found in it (Eicar-Test-Signature.UNOFFICIAL).');
    const contents = recorded.windows[0]!.webContents;
    expect(await invoke('attachments.save', contents, contents.mainFrame, { attachmentId: infected!.id, acceptWarnings: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { reason: 'infected', fileName: 'infected.png' } },
    });
  });

  it('denies navigation away, new windows and every permission', async () => {
    ({ desktop } = await start({}));
    const contents = recorded.windows[0]!.webContents;
    const { app } = await import('../support/electron-stand-in');
    app.emit('web-contents-created', {}, contents);
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    // Denied and not opened either: a mail's link leaves only through links.open, after the operator confirmed it.
    const opened = shell.opened.length;
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(shell.opened.length).toBe(opened);
    let granted: boolean | undefined;
    (session.defaultSession.permissionRequestHandler as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(
      contents,
      'media',
      (ok) => (granted = ok),
    );
    expect(granted).toBe(false);
  });

  it('opens a confirmed mail link through links.open and the vetted shell; other schemes never reach the shell', async () => {
    ({ desktop } = await start({}));
    const contents = recorded.windows[0]!.webContents;
    const open = (url: string) => invoke('links.open', contents, contents.mainFrame, { url });
    const before = shell.opened.length;
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'postdesk-file://attachment/1', 'data:text/html,x', '/relative', 'https://']) {
      expect(await open(url), url).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(shell.opened.length).toBe(before);
    expect(await open('https://bаnk.example/login')).toEqual({ ok: true });
    expect(await open('http://plain.example/')).toEqual({ ok: true });
    expect(await open('mailto:client@example.test')).toEqual({ ok: true });
    expect(shell.opened.slice(before)).toEqual(['https://xn--bnk-6cd.example/login', 'http://plain.example/', 'mailto:client@example.test']);
    expect(await invoke('links.open', contents, { ...contents.mainFrame, routingId: -1 }, { url: 'https://example.com/' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('serves a mail\'s remote image on postdesk-file:// only after Show images for that image, fetched by main', async () => {
    const server = await startHttpsRecorder();
    // The stand-in's main fetches with Node's default agent: let it trust the test's own server.
    globalAgent.options.ca = readFileSync(server.certFile);
    try {
      ({ desktop } = await start({}));
      const { services } = desktop!;
      services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
      const conversationId = services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c');
      const url = `${server.origin}/pixel.png`;
      const messageId = services.messages.insertIncoming(incoming(conversationId, { html: `<img src="${url}">` }));
      const contents = recorded.windows[0]!.webContents;
      const handler = recorded.protocolHandlers.get('postdesk-file')!;
      const image = () => handler(new Request(`postdesk-file://message/${messageId}/image/${encodeURIComponent(url)}`));

      expect((await image()).status).toBe(404);
      expect(server.connections).toBe(0);
      expect(await invoke('messages.showImages', contents, contents.mainFrame, { messageId, urls: [url] })).toEqual({ ok: true });
      const response = await image();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
      expect(server.hits.map((h) => h.path)).toEqual(['/pixel.png']);
    } finally {
      delete globalAgent.options.ca;
      await server.stop();
    }
    // The test's HTTPS server makes its certificate with openssl first: seconds on a busy machine.
  }, 30_000);

  it('sets an application menu in the operator\'s language', async () => {
    ({ desktop } = await start({}, undefined, ['--lang', 'en']));
    expect(recorded.applicationMenu?.map((item) => item.label)).toEqual(expect.arrayContaining(['Edit', 'View', 'Window', 'Help']));
    expect(menuItem(recorded.applicationMenu, 'Edit', 'Select all').role).toBe('selectAll');
  });

  it('opens the log folder from Help → Open log folder, making it again if it was deleted', async () => {
    let dataDir: string;
    ({ desktop, dataDir } = await start({}, undefined, ['--lang', 'en']));
    const logDir = path.join(dataDir, 'logs');
    expect(await logFileOpen(desktop)).toBe(logDir);
    rmSync(logDir, { recursive: true });

    menuItem(recorded.applicationMenu, 'Help', 'Open log folder').click!();
    await vi.waitFor(() => expect(recorded.openedPaths).toEqual([logDir]));
    expect(existsSync(logDir)).toBe(true);
    expect(recorded.errorBoxes).toEqual([]);
  });

  it('labels the menu in Russian when the app runs in Russian', async () => {
    ({ desktop } = await start({}));
    expect(desktop!.services.lang).toBe('ru');
    expect(menuItem(recorded.applicationMenu, 'Справка', 'Открыть папку журнала').click).toBeTypeOf('function');
    expect(menuItem(recorded.applicationMenu, 'Правка', 'Выделить всё').role).toBe('selectAll');
  });

  it('shows and logs why the log folder did not open', async () => {
    let dataDir: string;
    ({ desktop, dataDir } = await start({}, undefined, ['--lang', 'en']));
    const logDir = path.join(dataDir, 'logs');
    recorded.openPathAnswer = 'No application knows how to open this folder';

    menuItem(recorded.applicationMenu, 'Help', 'Open log folder').click!();
    await vi.waitFor(() => expect(recorded.errorBoxes).toHaveLength(1));
    expect(recorded.openedPaths).toEqual([logDir]);
    expect(recorded.errorBoxes[0]).toEqual({ title: 'Could not open the log folder', content: `${logDir}\n\nNo application knows how to open this folder` });

    const services = desktop!.services;
    desktop = null;
    await services.close();
    const lines = readFileSync(path.join(logDir, 'postdesk.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: `opening the log folder ${logDir} failed`, err: { message: 'No application knows how to open this folder' } }),
    );
  });

  it('tells the operator when the log folder cannot be made, and opens nothing', async () => {
    ({ desktop } = await start({}));
    const logDir = await logFileOpen(desktop);
    rmSync(logDir, { recursive: true });
    writeFileSync(logDir, '');

    menuItem(recorded.applicationMenu, 'Справка', 'Открыть папку журнала').click!();
    await vi.waitFor(() => expect(recorded.errorBoxes).toHaveLength(1));
    expect(recorded.errorBoxes[0]!.title).toBe('Не удалось открыть папку журнала');
    expect(recorded.errorBoxes[0]!.content).toMatch(/EEXIST/);
    expect(recorded.openedPaths).toEqual([]);
  });

  it('shows a refused config in a window, exits non-zero and writes nothing to the data directory', async () => {
    let dataDir: string;
    ({ desktop, dataDir } = await start({ attachments: { maxFileSize: '30 parsecs' } }));
    expect(desktop).toBeNull();
    expect(recorded.errorBoxes).toHaveLength(1);
    expect(recorded.errorBoxes[0]!.content).toMatch(/attachments\.maxFileSize = "30 parsecs": expected a size/);
    expect(recorded.exitCode).toBe(2);
    expect(recorded.windows).toHaveLength(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('starts its updates once the window is shown; run from the sources they are off, and Check for updates and Restart to update say so', async () => {
    ({ desktop } = await start({}));
    const window = recorded.windows[0] as BrowserWindow;
    const logDir = await logFileOpen(desktop);
    window.emit('show');
    menuItem(recorded.applicationMenu, 'Справка', 'Проверить обновления…').click!();
    await vi.waitFor(() => expect(recorded.messageBoxes).toHaveLength(1));
    expect(recorded.messageBoxes[0]).toMatchObject({
      owner: window,
      options: { title: 'Обновления', message: 'Postdesk проверяет обновления, только когда он установлен (эта копия запущена из исходного кода).' },
    });
    const contents = window.webContents;
    expect(await invoke('app.restartToUpdate', contents, contents.mainFrame)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No update has been downloaded yet.' },
    });
    await desktop!.services.close();
    desktop = null;
    const lines = readFileSync(path.join(logDir, 'postdesk.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toContain('updates are off: not installed (run from the sources)');
  });
});
