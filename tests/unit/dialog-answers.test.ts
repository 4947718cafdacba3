// The desktop app's test-only --dialog-answers: the native dialogs answer from a JSON file, read
// at each dialog, so the Electron end-to-end driver can pick files and folders (against the
// stand-in electron module: no dialog is ever shown, and none may be asked for).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDesktopApp, type DesktopApp } from '../../main/app/desktop';
import { incoming } from '../support/incoming';
import { app, recorded, type WebContents } from '../support/electron-stand-in';
import { PDF, PNG, sha256 } from '../support/sample-files';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'postdesk-answers-'));
const paths = { rendererDir: path.join(tmp, 'renderer'), preload: '/app/dist/preload/index.cjs' };

function place(name: string, bytes: Buffer | string): string {
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

async function start(answers: string) {
  const config = place('config.json', JSON.stringify({}));
  const dataDir = path.join(tmp, `data-${Math.random().toString(36).slice(2)}`);
  const argv = ['/usr/bin/electron', '/app', '--config', config, '--data-dir', dataDir, '--lang', 'en', '--dialog-answers', answers];
  return { desktop: await startDesktopApp(argv, paths), dataDir };
}

/** A client's conversation on a channel, in the started app's own database. */
function conversationOf(desktop: DesktopApp | null) {
  const { services } = desktop!;
  services.db.prepare("INSERT INTO channels (id, name, address, updated_at) VALUES ('c', 'C', 'c@example.test', 0)").run();
  return { services, conversationId: services.conversations.ensure(services.clients.create({ name: 'A', email: 'a@example.test' }).id, 'c') };
}

async function draftOf(desktop: DesktopApp | null) {
  const { services, conversationId } = conversationOf(desktop);
  const draft = (await invoke('drafts.open', { conversationId })) as { value: { id: number } };
  return { services, draftId: draft.value.id };
}

function invoke(channel: string, input?: unknown) {
  const contents = recorded.windows[0]!.webContents as WebContents;
  return recorded.handlers.get(channel)!({ sender: contents, senderFrame: contents.mainFrame }, input);
}

describe('--dialog-answers (desktop app, test-only)', () => {
  let desktop: DesktopApp | null = null;
  beforeEach(() => recorded.reset());
  afterEach(async () => {
    await desktop?.services.close();
    desktop = null;
    app.isPackaged = false;
  });

  it('answers the open dialog from the file as it is at each pick; a missing key is a cancelled dialog', async () => {
    const answers = place('answers.json', '{}');
    ({ desktop } = await start(answers));
    const { services, draftId } = await draftOf(desktop);

    expect(await invoke('drafts.pickFiles', { draftId })).toMatchObject({ ok: true, value: { files: [] } });
    const pdf = place('Счёт №7.pdf', PDF);
    const png = place('photo.png', PNG);
    writeFileSync(answers, JSON.stringify({ open: [pdf, png] }));
    const picked = (await invoke('drafts.pickFiles', { draftId })) as { ok: true; value: { files: Array<{ fileName: string; problem: unknown }> } };
    expect(picked.value.files.map((f) => [f.fileName, f.problem])).toEqual([
      [path.basename(png), null],
      [path.basename(pdf), null],
    ]);
    // The service took the files' bytes, not their paths.
    const stored = services.db.prepare('SELECT blob_key AS key FROM draft_attachments WHERE draft_id = ? ORDER BY id').all(draftId) as Array<{ key: string }>;
    expect(stored.map((s) => sha256(readFileSync(services.blobs.pathOf(s.key))))).toEqual([sha256(PDF), sha256(PNG)]);
    // Changed again between two picks: that answer is the one taken.
    writeFileSync(answers, JSON.stringify({ open: [place('notes.pdf', PDF)] }));
    expect(((await invoke('drafts.pickFiles', { draftId })) as { value: { files: unknown[] } }).value.files).toHaveLength(3);
    expect(recorded.openDialogs).toEqual([]);
  });

  it('answers Save with a file or a folder to keep the proposed name in, and the folder picker with a folder', async () => {
    const answers = place('answers.json', '{}');
    ({ desktop } = await start(answers));
    const { services, conversationId } = conversationOf(desktop);
    const blob = async (bytes: Buffer) => (await services.blobs.putBuffer(bytes)).key;
    const messageId = services.messages.insertIncoming(
      incoming(conversationId, {
        subject: 'Documents',
        attachments: [
          { fileName: 'Договор №5.pdf', mediaType: 'application/pdf', size: PDF.length, blobKey: await blob(PDF), contentId: null, inline: false },
          { fileName: 'photo.png', mediaType: 'image/png', size: PNG.length, blobKey: await blob(PNG), contentId: null, inline: false },
        ],
      }),
    );
    const [contract] = services.attachments.listForMessage(messageId);
    const attachmentId = contract!.id;

    expect(await invoke('attachments.save', { attachmentId, acceptWarnings: true })).toEqual({ ok: true, value: { status: 'cancelled' } });
    const target = path.join(tmp, 'chosen-by-test.pdf');
    writeFileSync(answers, JSON.stringify({ save: target }));
    expect(await invoke('attachments.save', { attachmentId, acceptWarnings: true })).toEqual({ ok: true, value: { status: 'saved', files: [target] } });
    expect(readFileSync(target).equals(PDF)).toBe(true);

    const into = path.join(tmp, 'downloads');
    mkdirSync(into);
    writeFileSync(answers, JSON.stringify({ saveInto: into }));
    expect(await invoke('attachments.save', { attachmentId, acceptWarnings: true })).toMatchObject({ ok: true, value: { status: 'saved' } });
    expect(readdirSync(into)).toEqual(['Договор №5.pdf']);

    const folder = path.join(tmp, 'folder');
    mkdirSync(folder);
    expect(await invoke('attachments.saveAll', { messageId, mode: 'folder', acceptWarnings: true })).toEqual({ ok: true, value: { status: 'cancelled' } });
    writeFileSync(answers, JSON.stringify({ folder }));
    expect(await invoke('attachments.saveAll', { messageId, mode: 'folder', acceptWarnings: true })).toMatchObject({ ok: true, value: { status: 'saved' } });
    expect(readdirSync(folder).sort()).toEqual(['photo.png', 'Договор №5.pdf']);
    expect(readFileSync(path.join(folder, 'photo.png')).equals(PNG)).toBe(true);
    expect([recorded.openDialogs, recorded.saveDialogs]).toEqual([[], []]);
  });

  it('fails the dialog, naming the file, when the answers are not a JSON object', async () => {
    const answers = place('answers.json', '["not", "an object"]');
    ({ desktop } = await start(answers));
    const { draftId } = await draftOf(desktop);
    expect(await invoke('drafts.pickFiles', { draftId })).toMatchObject({ ok: false });
    expect(recorded.openDialogs).toEqual([]);
  });

  it('is refused at start by a packaged app, with nothing written to the data directory', async () => {
    app.isPackaged = true;
    const config = place('config.json', '{}');
    const dataDir = path.join(tmp, 'packaged-data');
    // A packaged app's argv holds the binary only before our options.
    desktop = await startDesktopApp(['/opt/Postdesk/postdesk', '--config', config, '--data-dir', dataDir, '--dialog-answers', place('answers.json', '{}')], paths);
    expect(desktop).toBeNull();
    expect(recorded.errorBoxes.map((b) => b.content)).toEqual(['--dialog-answers is for end-to-end tests of the unpackaged app; a packaged Postdesk always asks the operator']);
    expect(recorded.exitCode).toBe(2);
    expect(existsSync(dataDir)).toBe(false);
  });
});
