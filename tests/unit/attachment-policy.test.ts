import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttachmentRules,
  type FileProblem,
  type PolicyMessageKey,
  type SniffKind,
  SNIFF_BYTES,
  checkFile,
  checkMessage,
  dialogAccept,
  matchesExtension,
  problemMessage,
  sniff,
  sortAttachments,
  totalMessages,
} from '../../common/attachment-policy';
import { translator } from '../../common/i18n';
import { configWith } from '../../main/config/load';
import { tempDir } from '../support/temp-dir';

const MB = 1024 * 1024;
// The shipped defaults, read through the real config loader: this also checks that main's
// AttachmentRules fits the policy's own declaration of it.
const RULES: AttachmentRules = configWith({}).attachments;

// ---------------------------------------------------------------------------------------------
// Sample files. ImageMagick is not installed here (/usr/bin/convert is absent; the convert on the
// PATH is a stand-in that only prints PNGs), so the images are fixed bytes: the PNG and JPEG were
// encoded by Chromium's canvas (1×1, the JPEG's ICC segment dropped) and decode in Chromium.

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4AWI6w8DwHwAAAP//nfhwpgAAAAZJREFUAwAEPgHOcjLqVQAAAABJRU5ErkJggg==';
const JPEG_1X1 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCdAHrB/9k=';
const GIF_1X1 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const WEBP_1X1 = 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==';

/** A 2×2 24-bit BMP: BITMAPFILEHEADER + BITMAPINFOHEADER + two rows padded to 4 bytes, bottom-up. */
function bmp2x2(): Buffer {
  const rowSize = 8;
  const pixelOffset = 14 + 40;
  const b = Buffer.alloc(pixelOffset + rowSize * 2);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(pixelOffset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(2, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowSize * 2, 34);
  b.writeInt32LE(2835, 38);
  b.writeInt32LE(2835, 42);
  Buffer.from([0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0]).copy(b, pixelOffset);
  return b;
}

/** A one-page PDF with a correct cross-reference table, as `pdfinfo` or Acrobat would open it. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const RTF = '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs24 Hello from Postdesk\\par}\n';

/** The 512-byte Compound File Binary header every .doc/.xls begins with, and its FAT sector. */
function cfbDoc(): Buffer {
  const b = Buffer.alloc(1024, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  b.writeUInt16LE(0x003e, 24);
  b.writeUInt16LE(0x0003, 26);
  b.writeUInt16LE(0xfffe, 28);
  b.writeUInt16LE(9, 30);
  b.writeUInt16LE(6, 32);
  b.writeUInt32LE(1, 44);
  b.writeUInt32LE(1, 48);
  b.writeUInt32LE(0x1000, 56);
  b.writeUInt32LE(0xfffffffe, 60);
  b.writeUInt32LE(0xfffffffe, 68);
  b.fill(0xff, 80, 512);
  b.writeUInt32LE(0, 76);
  b.fill(0xff, 512);
  return b;
}

/** A PE file's start: DOS header with e_lfanew, the DOS stub message, then "PE\0\0" and a COFF header. */
function peExe(): Buffer {
  const b = Buffer.alloc(1024, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt16LE(0x90, 2);
  b.writeUInt16LE(3, 4);
  b.writeUInt16LE(4, 8);
  b.writeUInt16LE(0xffff, 12);
  b.writeUInt16LE(0xb8, 16);
  b.writeUInt16LE(0x40, 24);
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x8664, 0x84);
  return b;
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const DOCUMENT =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:body><w:p><w:r><w:t>Здравствуйте! Счет во вложении.</w:t></w:r></w:p></w:body></w:document>';

type ZipEntrySpec = { name: string; content: string | Buffer; store?: boolean };

/**
 * Writes a ZIP with archiver, as Postdesk's own "Download all" does. Deflated entries get their
 * sizes in data descriptors (local headers say 0, as Java and many servers write); stored entries
 * carry them in the local header (as Word and LibreOffice write).
 */
async function writeZip(file: string, entries: ZipEntrySpec[]): Promise<void> {
  const archive = new ZipArchive();
  for (const e of entries) archive.append(Buffer.from(e.content), { name: e.name, store: e.store ?? false });
  await Promise.all([pipeline(archive, createWriteStream(file)), archive.finalize()]);
}

/** Bytes that do not compress and, from a fixed seed, are the same every run. */
function noise(length: number): Buffer {
  const b = Buffer.alloc(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const tmp = tempDir('postdesk-policy-');
const sample = (name: string): string => path.join(tmp.dir, name);

/** What main does: read at most SNIFF_BYTES from the start of the file. */
function headOf(file: string, bytes = SNIFF_BYTES): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The whole check for a file on disk, under the name the operator sees (it may differ from the sample's). */
function checkOnDisk(file: string, name: string): FileProblem | null {
  return checkFile({ name, size: statSync(file).size, sniffed: sniff(headOf(file)) }, RULES);
}

beforeAll(async () => {
  writeFileSync(sample('photo.png'), Buffer.from(PNG_1X1, 'base64'));
  writeFileSync(sample('photo.jpg'), Buffer.from(JPEG_1X1, 'base64'));
  writeFileSync(sample('anim.gif'), Buffer.from(GIF_1X1, 'base64'));
  writeFileSync(sample('pic.webp'), Buffer.from(WEBP_1X1, 'base64'));
  writeFileSync(sample('scan.bmp'), bmp2x2());
  writeFileSync(sample('invoice.pdf'), minimalPdf());
  // Some mail gateways and scanners leave a line before the header; PDF readers skip up to 1 KB.
  writeFileSync(sample('gateway.pdf'), Buffer.concat([Buffer.from('X-Scanned-By: gateway 1.0\r\n'.repeat(30)), minimalPdf()]));
  writeFileSync(sample('letter.rtf'), RTF);
  writeFileSync(sample('old.doc'), cfbDoc());
  writeFileSync(sample('setup.exe'), peExe());
  writeFileSync(sample('true.elf'), readFileSync('/bin/true').subarray(0, 4096));
  writeFileSync(sample('notes.txt'), 'Здравствуйте, прикладываю счет.\nС уважением, Анна\n');
  writeFileSync(sample('mz-notes.txt'), 'MZ-400 price list: 12 pcs.\n');
  writeFileSync(sample('bm-notes.txt'), 'BMW service: 2 cars, 14:00 and 15:30\n');
  writeFileSync(sample('random.bin'), noise(4096));
  const docx = [
    { name: '[Content_Types].xml', content: CONTENT_TYPES },
    { name: '_rels/.rels', content: RELS },
    { name: 'word/document.xml', content: DOCUMENT },
  ];
  await writeZip(sample('contract.docx'), docx);
  await writeZip(sample('stored.docx'), docx.map((e) => ({ ...e, store: true })));
  // A thumbnail before the body pushes word/ past 8 KB: why SNIFF_BYTES is larger.
  await writeZip(sample('thumbnail-first.docx'), [docx[0]!, docx[1]!, { name: 'docProps/thumbnail.jpeg', content: noise(40_000), store: true }, docx[2]!]);
  await writeZip(sample('book.xlsx'), [{ name: '[Content_Types].xml', content: CONTENT_TYPES }, { name: 'xl/workbook.xml', content: '<workbook/>' }]);
  await writeZip(sample('slides.pptx'), [{ name: '[Content_Types].xml', content: CONTENT_TYPES }, { name: 'ppt/presentation.xml', content: '<presentation/>' }]);
  await writeZip(sample('photos.zip'), [
    { name: 'readme.txt', content: 'Photos of the damaged parcel' },
    { name: 'parcel.png', content: Buffer.from(PNG_1X1, 'base64'), store: true },
  ]);
});

afterAll(() => tmp.cleanup());

describe('sniff on real files', () => {
  it.each<[string, SniffKind]>([
    ['photo.png', 'png'],
    ['photo.jpg', 'jpeg'],
    ['anim.gif', 'gif'],
    ['pic.webp', 'webp'],
    ['scan.bmp', 'bmp'],
    ['invoice.pdf', 'pdf'],
    ['gateway.pdf', 'pdf'],
    ['letter.rtf', 'rtf'],
    ['old.doc', 'ole'],
    ['contract.docx', 'docx'],
    ['stored.docx', 'docx'],
    ['thumbnail-first.docx', 'docx'],
    ['book.xlsx', 'xlsx'],
    ['slides.pptx', 'pptx'],
    ['photos.zip', 'zip'],
    ['setup.exe', 'exe'],
    ['true.elf', 'elf'],
    ['notes.txt', 'text'],
    ['mz-notes.txt', 'text'],
    ['bm-notes.txt', 'text'],
    ['random.bin', 'unknown'],
  ])('%s is %s', (file, kind) => {
    expect(sniff(headOf(sample(file)))).toEqual({ kind });
  });

  it('needs more than 8 KB to see word/ behind a thumbnail, and SNIFF_BYTES covers it', () => {
    expect(sniff(headOf(sample('thumbnail-first.docx'), 8 * 1024)).kind).toBe('zip');
    expect(sniff(headOf(sample('thumbnail-first.docx'))).kind).toBe('docx');
  });

  it('finds %PDF- within the first 1024 bytes, not after', () => {
    const pdf = minimalPdf();
    expect(sniff(Buffer.concat([Buffer.alloc(1024, 0x20), pdf])).kind).toBe('pdf');
    expect(sniff(Buffer.concat([Buffer.alloc(1025, 0x20), pdf])).kind).toBe('text');
  });

  it('names an executable first even when it also carries a PDF header', () => {
    const polyglot = Buffer.concat([peExe().subarray(0, 512), minimalPdf()]);
    expect(sniff(polyglot).kind).toBe('exe');
  });

  it('calls nothing read "unknown"', () => {
    expect(sniff(new Uint8Array()).kind).toBe('unknown');
  });
});

describe('checkFile on real files', () => {
  it.each([
    ['photo.png', 'photo.png'],
    ['photo.jpg', 'photo.jpg'],
    ['photo.jpg', 'photo.jpeg'],
    ['scan.bmp', 'scan.bmp'],
    ['invoice.pdf', 'invoice.pdf'],
    ['gateway.pdf', 'gateway.pdf'],
    ['letter.rtf', 'letter.rtf'],
    ['old.doc', 'old.doc'],
    ['contract.docx', 'contract.docx'],
    ['stored.docx', 'stored.docx'],
  ])('accepts %s attached as %s', (file, name) => {
    expect(checkOnDisk(sample(file), name)).toBeNull();
  });

  it('accepts RTF content in a .doc, as Word opens it', () => {
    expect(checkOnDisk(sample('letter.rtf'), 'letter.doc')).toBeNull();
  });

  it.each<[string, string, string, SniffKind]>([
    ['a .pdf that is really an exe', 'setup.exe', 'invoice.pdf', 'exe'],
    ['a .pdf that is really an ELF program', 'true.elf', 'invoice.pdf', 'elf'],
    ['a .jpg that is really a PDF', 'invoice.pdf', 'photo.jpg', 'pdf'],
    ['a .png that is really a PDF', 'invoice.pdf', 'photo.png', 'pdf'],
    ['a .png that is really a JPEG', 'photo.jpg', 'photo.png', 'jpeg'],
    ['a .docx that is a plain zip', 'photos.zip', 'contract.docx', 'zip'],
    ['a .docx that is really a .doc', 'old.doc', 'contract.docx', 'ole'],
    ['a .doc that is really a .docx', 'contract.docx', 'old.doc', 'docx'],
    ['an .rtf that is really plain text', 'notes.txt', 'letter.rtf', 'text'],
    ['a .bmp of unknown bytes', 'random.bin', 'scan.bmp', 'unknown'],
  ])('refuses %s', (_label, file, name, actual) => {
    const extension = name.slice(name.lastIndexOf('.') + 1);
    expect(checkOnDisk(sample(file), name)).toEqual({ code: 'content_mismatch', extension, actual });
  });
});

describe('matchesExtension', () => {
  it.each<[string, SniffKind, boolean]>([
    ['jpeg', 'jpeg', true],
    ['jpg', 'jpeg', true],
    ['JPG', 'jpeg', true],
    ['jpg', 'png', false],
    ['png', 'png', true],
    ['bmp', 'bmp', true],
    ['pdf', 'pdf', true],
    ['pdf', 'text', false],
    ['doc', 'ole', true],
    ['doc', 'rtf', true],
    ['rtf', 'rtf', true],
    ['rtf', 'ole', false],
    ['docx', 'docx', true],
    ['docx', 'zip', false],
    ['docx', 'xlsx', false],
    // Extensions the table does not know take anything but a program.
    ['txt', 'text', true],
    ['txt', 'unknown', true],
    ['odt', 'zip', true],
    ['txt', 'exe', false],
    ['odt', 'elf', false],
  ])('.%s with %s content: %s', (extension, kind, expected) => {
    expect(matchesExtension(extension, { kind })).toBe(expected);
  });
});

describe('checkFile', () => {
  const pdf = { kind: 'pdf' } as const;

  it('refuses a format the config does not allow, naming the allowed ones', () => {
    expect(checkFile({ name: 'archive.zip', size: 10, sniffed: { kind: 'zip' } }, RULES)).toEqual({
      code: 'format_not_allowed',
      extension: 'zip',
      allowed: ['jpeg', 'jpg', 'png', 'pdf', 'doc', 'docx', 'rtf', 'bmp'],
    });
  });

  it.each(['README', '.pdf', 'scan.'])('counts %j as having no extension, which is not allowed', (name) => {
    expect(checkFile({ name, size: 10, sniffed: pdf }, RULES)).toMatchObject({ code: 'format_not_allowed', extension: '' });
  });

  it('reads the extension case-insensitively', () => {
    expect(checkFile({ name: 'SCAN.PDF', size: 10, sniffed: pdf }, RULES)).toBeNull();
    expect(checkFile({ name: 'Photo.JpEg', size: 10, sniffed: { kind: 'jpeg' } }, RULES)).toBeNull();
  });

  it('takes allowed formats in any case, as written by hand', () => {
    expect(checkFile({ name: 'a.pdf', size: 10, sniffed: pdf }, { allowedFormats: ['PDF'], maxFileSize: 100 })).toBeNull();
  });

  it('allows a file of exactly the per-file limit and refuses one byte more', () => {
    expect(checkFile({ name: 'a.pdf', size: 30 * MB, sniffed: pdf }, RULES)).toBeNull();
    expect(checkFile({ name: 'a.pdf', size: 30 * MB + 1, sniffed: pdf }, RULES)).toEqual({ code: 'too_large', size: 30 * MB + 1, limit: 30 * MB });
  });

  it('refuses an empty file', () => {
    expect(checkFile({ name: 'a.pdf', size: 0, sniffed: { kind: 'unknown' } }, RULES)).toEqual({ code: 'empty' });
  });

  it('refuses a file that could not be read, with the reason', () => {
    expect(checkFile({ name: 'a.pdf', size: 10, sniffed: null, readError: 'EACCES' }, RULES)).toEqual({ code: 'unreadable', reason: 'EACCES' });
    expect(checkFile({ name: 'a.pdf', size: 10, sniffed: null }, RULES)).toEqual({ code: 'unreadable', reason: 'unknown error' });
  });

  // Each row has every problem of the rows below it too, so each row pins one step of the order.
  it.each<[string, { name: string; size: number; sniffed: { kind: SniffKind } | null }, FileProblem['code']]>([
    ['unreadable before empty', { name: 'a.exe', size: 0, sniffed: null }, 'unreadable'],
    ['empty before format', { name: 'a.exe', size: 0, sniffed: { kind: 'exe' } }, 'empty'],
    ['format before content and size', { name: 'a.exe', size: 40 * MB, sniffed: { kind: 'exe' } }, 'format_not_allowed'],
    ['content before size', { name: 'a.pdf', size: 40 * MB, sniffed: { kind: 'exe' } }, 'content_mismatch'],
    ['size last', { name: 'a.pdf', size: 40 * MB, sniffed: pdf }, 'too_large'],
  ])('precedence: %s', (_label, file, code) => {
    expect(checkFile(file, RULES)?.code).toBe(code);
  });
});

describe('checkMessage', () => {
  const file = (size: number, problem: FileProblem | null = null) => ({ size, problem });
  const tooLarge: FileProblem = { code: 'too_large', size: 40 * MB, limit: 30 * MB };

  it('allows valid files of exactly the total limit', () => {
    expect(checkMessage({ text: '', files: [file(10 * MB), file(20 * MB)] }, RULES)).toEqual({
      canSend: true,
      invalidCount: 0,
      validTotal: 30 * MB,
      overBy: 0,
      empty: false,
    });
  });

  it('refuses one byte over the total limit and says by how much', () => {
    expect(checkMessage({ text: 'Hi', files: [file(10 * MB), file(20 * MB + 1)] }, RULES)).toMatchObject({ canSend: false, overBy: 1 });
  });

  it('counts only valid files towards the total, but an invalid file blocks sending until removed', () => {
    expect(checkMessage({ text: 'Hi', files: [file(30 * MB), file(40 * MB, tooLarge)] }, RULES)).toEqual({
      canSend: false,
      invalidCount: 1,
      validTotal: 30 * MB,
      overBy: 0,
      empty: false,
    });
  });

  it.each([
    ['text only', 'Здравствуйте!', [], true, false],
    ['attachments only', '', [file(100)], true, false],
    ['text and attachments', 'See attached', [file(100)], true, false],
    ['neither', '', [], false, true],
    ['only whitespace', ' \n\t\u00a0', [], false, true],
    ['only an invalid file', '', [file(0, { code: 'empty' })], false, false],
  ])('%s: canSend %s', (_label, text, files, canSend, empty) => {
    expect(checkMessage({ text, files }, RULES)).toMatchObject({ canSend, empty });
  });
});

describe('sortAttachments', () => {
  const bad: FileProblem = { code: 'empty' };
  // name, problem, attachedAt, seq — in the order they were attached, in three batches.
  const attached = [
    { name: 'first.pdf', problem: null, attachedAt: 1000, seq: 1 },
    { name: 'first-bad.exe', problem: bad, attachedAt: 1000, seq: 2 },
    { name: 'batch2-a.png', problem: null, attachedAt: 2000, seq: 3 },
    { name: 'batch2-b.png', problem: null, attachedAt: 2000, seq: 4 },
    { name: 'batch2-bad-a.doc', problem: bad, attachedAt: 2000, seq: 5 },
    { name: 'batch2-bad-b.doc', problem: bad, attachedAt: 2000, seq: 6 },
    { name: 'last.jpg', problem: null, attachedAt: 3000, seq: 7 },
  ];

  it.each([
    [1, 'batch2-bad-b.doc', 'invalid, newest batch of the invalid, later in the batch'],
    [2, 'batch2-bad-a.doc', 'invalid, same batch, earlier'],
    [3, 'first-bad.exe', 'invalid, oldest'],
    [4, 'last.jpg', 'valid, newest'],
    [5, 'batch2-b.png', 'valid, second batch, later in the batch'],
    [6, 'batch2-a.png', 'valid, second batch, earlier'],
    [7, 'first.pdf', 'valid, oldest'],
  ])('position %i: %s (%s)', (position, name) => {
    expect(sortAttachments(attached)[position - 1]?.name).toBe(name);
  });

  it('leaves the input as it was', () => {
    const before = attached.map((a) => a.name);
    sortAttachments(attached);
    expect(attached.map((a) => a.name)).toEqual(before);
  });
});

describe('dialogAccept', () => {
  it('lists exactly the configured extensions', () => {
    expect(dialogAccept(RULES)).toBe('.jpeg,.jpg,.png,.pdf,.doc,.docx,.rtf,.bmp');
    expect(dialogAccept({ allowedFormats: ['pdf'] })).toBe('.pdf');
  });

  it('writes each once, in lower case', () => {
    expect(dialogAccept({ allowedFormats: ['pdf', 'PDF', 'txt'] })).toBe('.pdf,.txt');
  });
});

describe('problemMessage', () => {
  const en = translator('en');
  const ru = translator('ru');

  it.each<[FileProblem, PolicyMessageKey, Record<string, string | number>, string]>([
    [
      { code: 'format_not_allowed', extension: 'zip', allowed: ['pdf', 'jpg'] },
      'attachments.problem.format',
      { extension: 'zip', allowed: '.pdf, .jpg' },
      'Format .zip is not allowed. Allowed: .pdf, .jpg',
    ],
    [
      { code: 'format_not_allowed', extension: '', allowed: ['pdf'] },
      'attachments.problem.noExtension',
      { allowed: '.pdf' },
      'Files without an extension are not allowed. Allowed: .pdf',
    ],
    [
      { code: 'too_large', size: Math.round(34.2 * MB), limit: 30 * MB },
      'attachments.problem.tooLarge',
      { size: '34.2 MB', limit: '30 MB' },
      '34.2 MB — the limit for one file is 30 MB',
    ],
    [{ code: 'empty' }, 'attachments.problem.empty', {}, 'This file is empty'],
    [
      { code: 'content_mismatch', extension: 'jpg', actual: 'pdf' },
      'attachments.problem.mismatch',
      { extension: 'jpg', actual: 'PDF' },
      'This file is really PDF, not .jpg',
    ],
    [
      { code: 'content_mismatch', extension: 'pdf', actual: 'exe' },
      'attachments.problem.executable',
      { extension: 'pdf', actual: 'EXE' },
      'This file is really a program (EXE), not .pdf',
    ],
    [
      { code: 'content_mismatch', extension: 'png', actual: 'unknown' },
      'attachments.problem.unrecognized',
      { extension: 'png', actual: '?' },
      'The content of this file is not .png',
    ],
    [
      { code: 'unreadable', reason: 'EACCES' },
      'attachments.problem.unreadable',
      { reason: 'EACCES' },
      'The file could not be read: EACCES',
    ],
  ])('%j → %s', (problem, key, params, english) => {
    const message = problemMessage(problem);
    expect(message).toEqual({ key, params });
    expect(en(message.key, message.params)).toBe(english);
    // Every placeholder of the Russian text is filled too.
    expect(ru(message.key, message.params)).not.toMatch(/\{\w+\}/);
  });

  it('speaks Russian in the product words', () => {
    const message = problemMessage({ code: 'format_not_allowed', extension: 'exe', allowed: ['pdf', 'doc'] });
    expect(ru(message.key, message.params)).toBe('Формат .exe не разрешен. Разрешены: .pdf, .doc');
  });

  it('gives the meter always and the over-limit hint only when over', () => {
    const within = totalMessages({ validTotal: 12 * MB, overBy: 0 }, RULES);
    expect(en(within.meter.key, within.meter.params)).toBe('12 MB of 30 MB');
    expect(within.over).toBeNull();
    const over = totalMessages({ validTotal: 32.5 * MB, overBy: 2.5 * MB }, RULES);
    expect(over.over).not.toBeNull();
    expect(en(over.over!.key, over.over!.params)).toBe('The files are 2.5 MB over the limit of 30 MB. Remove some files.');
    const overRu = totalMessages({ validTotal: 32.5 * MB, overBy: 2.5 * MB }, RULES, 'ru');
    expect(ru(overRu.meter.key, overRu.meter.params)).toBe('32,5 МБ из 30 МБ');
  });
});
