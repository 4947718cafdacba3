import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { AttachmentExport, type AttachmentExportDeps, type ExportProgress } from '../../main/files/attachment-export';
import { BlobStore } from '../../main/files/blob-store';
import { AttachmentsRepo } from '../../main/store/attachments-repo';
import { ChannelsRepo } from '../../main/store/channels-repo';
import { ClientsRepo } from '../../main/store/clients-repo';
import { ConversationsRepo } from '../../main/store/conversations-repo';
import { openDatabase, type Db } from '../../main/store/database';
import { MessagesRepo } from '../../main/store/messages-repo';
import { tempDir } from '../support/temp-dir';
import { sha256 } from '../support/sample-files';
import { incoming } from '../support/incoming';

const tmp = tempDir('postdesk-export-');

interface Fixture {
  fileName: string;
  mediaType: string;
  bytes: Buffer;
  inline?: boolean;
}

const STORED = 0;
const DEFLATED = 8;
const UTF8_FLAG = 0x800;

// The five attachments of one client's mail: two named alike (a PNG sent as .JPG), a Cyrillic
// name, and a name that tries to climb out of the folder.
const FIVE: Fixture[] = [
  { fileName: 'Photo.jpg', mediaType: 'image/jpeg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(150_000)]) },
  { fileName: 'photo.JPG', mediaType: 'image/png', bytes: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(120_000)]) },
  { fileName: 'Счёт №7.pdf', mediaType: 'application/pdf', bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100_000)]) },
  {
    fileName: 'contract.docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(80_000)]),
  },
  { fileName: '../../evil.rtf', mediaType: 'application/rtf', bytes: Buffer.from(`{\\rtf1\\ansi ${'Счёт оплачен. Payment received. '.repeat(4000)}}`) },
];
const SAFE_NAMES = ['Photo.jpg', 'photo (1).JPG', 'Счёт №7.pdf', 'contract.docx', 'evil.rtf'];
const TOTAL = FIVE.reduce((sum, f) => sum + f.bytes.length, 0);

let db: Db;
let blobs: BlobStore;
let attachments: AttachmentsRepo;
let messages: MessagesRepo;
let conversationId: number;
let messageId: number;

async function storeMessage(files: Fixture[]): Promise<number> {
  const stored = [];
  for (const f of files) {
    const { key, size } = await blobs.putBuffer(f.bytes);
    stored.push({ fileName: f.fileName, mediaType: f.mediaType, size, blobKey: key, contentId: f.inline ? 'logo@x' : null, inline: f.inline ?? false });
  }
  return messages.insertIncoming(
    incoming(conversationId, { fromName: 'Иванов Иван', subject: 'Счёт и договор', text: 'See attached.', attachments: stored }),
  );
}

function exporter(createFile?: AttachmentExportDeps['createFile']): AttachmentExport {
  return new AttachmentExport({ blobs, attachments, ...(createFile ? { createFile } : {}) });
}

function folder(name: string): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function sorted(names: string[]): string[] {
  return [...names].sort();
}

interface ZipEntry {
  name: string;
  sha256: string;
  compressType: number;
  flagBits: number;
  headerOffset: number;
}

const READ_ZIP = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps([{"name": i.filename, "sha256": hashlib.sha256(z.read(i)).hexdigest(), "compressType": i.compress_type,
                       "flagBits": i.flag_bits, "headerOffset": i.header_offset} for i in z.infolist()]))
`;

function readZipWithPython(file: string): ZipEntry[] {
  return JSON.parse(execFileSync('python3', ['-c', READ_ZIP, file], { encoding: 'utf8' })) as ZipEntry[];
}

/** The names `unzip -l` lists: the last column of the lines between the dashed rules. */
function unzipList(file: string): string[] {
  const out = execFileSync('unzip', ['-l', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  const lines = out.split('\n');
  const first = lines.findIndex((l) => l.startsWith('---------'));
  const last = lines.findLastIndex((l) => l.startsWith('---------'));
  return lines.slice(first + 1, last).map((l) => l.replace(/^\s*\d+\s+\S+\s+\S+\s{3}/, ''));
}

/** A file that takes `limit` bytes and then fails as a full disk (or any errno) would. */
function failingFiles(errno: string, limit: number, healthyFiles = 0): (file: string) => Writable {
  let opened = 0;
  return (file) => {
    const real = createWriteStream(file, { flags: 'wx' });
    if (opened++ < healthyFiles) return real;
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > limit) return done(Object.assign(new Error(`${errno}: injected`), { code: errno }));
        real.write(chunk, done);
      },
      final(done) {
        real.end(done);
      },
      destroy(error, done) {
        if (real.closed) return done(error);
        real.once('close', () => done(error));
        real.destroy();
      },
    });
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  db = openDatabase(path.join(tmp.dir, 'postdesk.sqlite'));
  new ChannelsRepo(db).syncFromConfig([{ id: 'support', name: 'Support', address: 'support@example.test' }]);
  const client = new ClientsRepo(db).create({ name: 'Иванов Иван', email: 'client@example.test' });
  conversationId = new ConversationsRepo(db).ensure(client.id, 'support');
  messages = new MessagesRepo(db);
  attachments = new AttachmentsRepo(db);
  blobs = new BlobStore(path.join(tmp.dir, 'blobs'));
  await blobs.init();
  messageId = await storeMessage(FIVE);
});

afterAll(() => {
  db.close();
  tmp.cleanup();
});

describe('AttachmentsRepo', () => {
  it('lists a message’s attachments in order with their blob keys', () => {
    const list = attachments.listForMessage(messageId);
    expect(list.map((a) => a.fileName)).toEqual(FIVE.map((f) => f.fileName));
    expect(list.map((a) => a.blobKey)).toEqual(FIVE.map((f) => sha256(f.bytes)));
    expect(list[0]).toEqual({ id: list[0]!.id, messageId, fileName: 'Photo.jpg', mediaType: 'image/jpeg', size: 150_004, blobKey: sha256(FIVE[0]!.bytes), inline: false, incoming: true, check: null });
    expect(attachments.get(list[2]!.id)?.fileName).toBe('Счёт №7.pdf');
    expect(attachments.get(999_999)).toBeUndefined();
  });
});

describe('saving one attachment', () => {
  it('copies the blob byte for byte, replacing the file the operator chose, and leaves no temp file', async () => {
    const dir = folder('one');
    const target = path.join(dir, 'чек.pdf');
    writeFileSync(target, 'an older file the save dialog agreed to replace');
    const pdf = attachments.listForMessage(messageId)[2]!;
    const seen: ExportProgress[] = [];
    await exporter().saveOne(pdf.id, target, (p) => seen.push(p));
    expect(readFileSync(target).equals(FIVE[2]!.bytes)).toBe(true);
    expect(readdirSync(dir)).toEqual(['чек.pdf']);
    expect(seen.at(-1)).toEqual({ done: FIVE[2]!.bytes.length, total: FIVE[2]!.bytes.length });
  });

  it('says an unknown attachment is not found', async () => {
    const error = await failure(exporter().saveOne(999_999, path.join(folder('one-missing'), 'x.pdf')));
    expect(error.code).toBe('not_found');
  });
});

describe('saving all attachments as one ZIP', () => {
  let zipFile: string;
  let progress: ExportProgress[];

  beforeAll(async () => {
    zipFile = path.join(folder('zip'), 'Счёт и договор-attachments.zip');
    progress = [];
    await exporter().saveZip(messageId, zipFile, (p) => progress.push(p));
  });

  it('holds every attachment under its safe, unique name, as unzip lists it', () => {
    expect(unzipList(zipFile)).toEqual(SAFE_NAMES);
    expect(execFileSync('unzip', ['-tq', zipFile], { encoding: 'utf8' })).toMatch(/^No errors detected/);
  });

  it('gives Python’s zipfile the same names and the original bytes', () => {
    const entries = readZipWithPython(zipFile);
    expect(entries.map((e) => e.name)).toEqual(SAFE_NAMES);
    expect(entries.map((e) => e.sha256)).toEqual(FIVE.map((f) => sha256(f.bytes)));
  });

  it('stores the already compressed formats and deflates the rest', () => {
    const methods = Object.fromEntries(readZipWithPython(zipFile).map((e) => [e.name, e.compressType]));
    expect(methods).toEqual({
      'Photo.jpg': STORED,
      'photo (1).JPG': STORED,
      'Счёт №7.pdf': STORED,
      'contract.docx': STORED,
      'evil.rtf': DEFLATED,
    });
  });

  it('marks the Cyrillic name as UTF-8 (bit 11) in its local header and in the central directory', () => {
    const bytes = readFileSync(zipFile);
    const entry = readZipWithPython(zipFile).find((e) => e.name === 'Счёт №7.pdf')!;
    expect(entry.flagBits & UTF8_FLAG).toBe(UTF8_FLAG);
    const header = entry.headerOffset;
    expect(bytes.readUInt32LE(header)).toBe(0x04034b50);
    expect(bytes.readUInt16LE(header + 6) & UTF8_FLAG).toBe(UTF8_FLAG);
    const nameLength = bytes.readUInt16LE(header + 26);
    expect(bytes.subarray(header + 30, header + 30 + nameLength).toString('utf8')).toBe('Счёт №7.pdf');
  });

  it('reports progress in bytes, rising to the total', () => {
    // Stored files are read a megabyte at a time: at least one report per file here.
    expect(progress.length).toBeGreaterThanOrEqual(FIVE.length);
    expect(progress.every((p, i) => p.total === TOTAL && (i === 0 || p.done > progress[i - 1]!.done))).toBe(true);
    expect(progress.at(-1)).toEqual({ done: TOTAL, total: TOTAL });
    expect(readdirSync(path.dirname(zipFile))).toEqual([path.basename(zipFile)]);
  });

  it('streams into a writable stream, such as an HTTP response', async () => {
    const file = path.join(folder('zip-stream'), 'streamed.zip');
    const out = createWriteStream(file);
    await exporter().saveZip(messageId, out);
    expect(out.writableFinished).toBe(true);
    expect(readZipWithPython(file).map((e) => e.sha256)).toEqual(FIVE.map((f) => sha256(f.bytes)));
  });

  it('leaves the earlier file and no partial archive when the disk fills up', async () => {
    const dir = folder('zip-full');
    const target = path.join(dir, 'attachments.zip');
    writeFileSync(target, 'the archive saved yesterday');
    const error = await failure(exporter(failingFiles('ENOSPC', 200_000)).saveZip(messageId, target));
    expect(error.message).toMatch(/^The disk is full/);
    expect(error.details).toMatchObject({ reason: 'disk_full', errno: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual(['attachments.zip']);
    expect(readFileSync(target, 'utf8')).toBe('the archive saved yesterday');
  });

  it('fails, rather than waits for ever, when a stored file cannot be read halfway, and leaves no archive', async () => {
    const dir = folder('zip-read-error');
    const unreadable = new AttachmentExport({
      attachments,
      blobs: {
        size: (key) => blobs.size(key),
        open: () =>
          new Readable({
            read() {
              this.push(randomBytes(10_000));
              this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
            },
          }),
      },
    });
    const error = await failure(unreadable.saveZip(messageId, path.join(dir, 'a.zip')));
    expect(error.message).toBe('Could not read the stored bytes of "Photo.jpg".');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves out inline images', async () => {
    const id = await storeMessage([
      { fileName: 'logo.png', mediaType: 'image/png', bytes: randomBytes(1000), inline: true },
      { fileName: 'Акт.rtf', mediaType: 'application/rtf', bytes: Buffer.from('{\\rtf1 акт}') },
      { fileName: 'notes.txt', mediaType: 'text/plain', bytes: Buffer.from('notes') },
    ]);
    const file = path.join(folder('zip-inline'), 'a.zip');
    await exporter().saveZip(id, file);
    expect(readZipWithPython(file).map((e) => e.name)).toEqual(['Акт.rtf', 'notes.txt']);
  });

  it('says a message without attachments has nothing to save, and writes nothing', async () => {
    const id = await storeMessage([]);
    const dir = folder('zip-empty');
    const error = await failure(exporter().saveZip(id, path.join(dir, 'a.zip')));
    expect(error.code).toBe('not_found');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('saving all attachments into a folder', () => {
  it('writes each file in its own format under safe, unique names, bytes identical, nothing outside', async () => {
    const parent = folder('folder-fresh');
    const dir = folder('folder-fresh/chosen');
    const seen: ExportProgress[] = [];
    const written = await exporter().saveToFolder(messageId, dir, (p) => seen.push(p));
    expect(written).toEqual(SAFE_NAMES);
    expect(sorted(readdirSync(dir))).toEqual(sorted(SAFE_NAMES));
    SAFE_NAMES.forEach((name, i) => expect(readFileSync(path.join(dir, name)).equals(FIVE[i]!.bytes)).toBe(true));
    expect(readdirSync(parent)).toEqual(['chosen']);
    expect(readdirSync(tmp.dir, { recursive: true }).filter((f) => String(f).endsWith('evil.rtf'))).toEqual([path.join('folder-fresh', 'chosen', 'evil.rtf')]);
    expect(seen.at(-1)).toEqual({ done: TOTAL, total: TOTAL });
  });

  it('never overwrites a file already in the folder', async () => {
    const dir = folder('folder-existing');
    writeFileSync(path.join(dir, 'Счёт №7.pdf'), 'the operator’s own file');
    writeFileSync(path.join(dir, 'EVIL.RTF'), 'another file of theirs');
    const written = await exporter().saveToFolder(messageId, dir);
    expect(written).toEqual(['Photo.jpg', 'photo (1).JPG', 'Счёт №7 (1).pdf', 'contract.docx', 'evil (1).rtf']);
    expect(readFileSync(path.join(dir, 'Счёт №7.pdf'), 'utf8')).toBe('the operator’s own file');
    expect(readFileSync(path.join(dir, 'EVIL.RTF'), 'utf8')).toBe('another file of theirs');
    expect(readFileSync(path.join(dir, 'Счёт №7 (1).pdf')).equals(FIVE[2]!.bytes)).toBe(true);
  });

  it('numbers every file when the same message is saved into the same folder twice', async () => {
    const dir = folder('folder-twice');
    await exporter().saveToFolder(messageId, dir);
    const second = await exporter().saveToFolder(messageId, dir);
    // "Photo (1).jpg" is taken too: by "photo (1).JPG" of the first save, as Windows and macOS see it.
    expect(second).toEqual(['Photo (2).jpg', 'photo (3).JPG', 'Счёт №7 (1).pdf', 'contract (1).docx', 'evil (1).rtf']);
    expect(readdirSync(dir)).toHaveLength(10);
  });

  it('stops at a full disk with a clear error, keeping only the files completed before it', async () => {
    const dir = folder('folder-full');
    const error = await failure(exporter(failingFiles('ENOSPC', 50_000, 2)).saveToFolder(messageId, dir));
    expect(error.message).toBe(`The disk is full: nothing more fits in ${dir} (2 of 5 files were saved)`);
    expect(error.details).toMatchObject({ reason: 'disk_full', written: ['Photo.jpg', 'photo (1).JPG'] });
    expect(sorted(readdirSync(dir))).toEqual(sorted(['Photo.jpg', 'photo (1).JPG']));
  });

  it('says the folder is not writable and leaves nothing when the system refuses the file', async () => {
    // Tests run as root, where chmod 555 stops nothing: the refusal is the system's, injected.
    const dir = folder('folder-readonly');
    const refuse = (): Writable => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const error = await failure(exporter(refuse).saveToFolder(messageId, dir));
    expect(error.message).toBe(`The folder is not writable: ${dir}`);
    expect(error.code).toBe('forbidden');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says the folder does not exist when its path runs through a file, and creates nothing', async () => {
    const parent = folder('folder-under-file');
    writeFileSync(path.join(parent, 'a-file'), 'not a folder');
    const dir = path.join(parent, 'a-file', 'chosen');
    const error = await failure(exporter().saveToFolder(messageId, dir));
    expect(error.message).toBe(`The folder does not exist: ${dir}`);
    expect(readdirSync(parent)).toEqual(['a-file']);
  });

  it('finds a missing blob before writing anything', async () => {
    const id = await storeMessage([{ fileName: 'a.pdf', mediaType: 'application/pdf', bytes: randomBytes(100) }]);
    const gone = attachments.listForMessage(id)[0]!;
    const dir = folder('folder-missing-blob');
    const broken = new AttachmentExport({
      blobs,
      attachments: {
        listForMessage: () => [{ ...gone, blobKey: 'f'.repeat(64) }],
        get: () => undefined,
      },
    });
    const error = await failure(broken.saveToFolder(id, dir));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('The stored bytes of "a.pdf" are missing.');
    expect(readdirSync(dir)).toEqual([]);
  });
});
