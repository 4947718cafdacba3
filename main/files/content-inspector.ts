// What a stored file really is, from its whole content: file-type names the format from its
// signature, yauzl lists a ZIP's central directory (the entries Word and Explorer see, however
// the local headers lie), cfb reads an OLE compound file's streams, and image headers must
// decode. The verdict feeds the one policy (common/attachment-policy.ts) for outgoing files and
// the warnings of incoming ones; the page never judges content itself.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import CFB from 'cfb';
import { fileTypeFromBuffer } from 'file-type';
import yauzl from 'yauzl';
import type { ContentVerdict } from '../../common/attachment-policy';
import type { FileKind } from '../../common/domain/attachment';
import { type HeaderFormat, imageSize } from './image-header';

/** A file read by ranges: on disk, or an attachment decoded from its raw message (BlobStore.reader). */
export interface RandomAccessBytes {
  size: number;
  /** Bytes [start, end], end inclusive as fs streams count. */
  read(start: number, end: number): NodeJS.ReadableStream;
}

/** Enough for every signature, an image header behind large EXIF/ICC segments, and the text checks. */
const HEAD_BYTES = 256 * 1024;
/** PDF readers skip leading whitespace, but not much of it; more is not a PDF header. */
const PDF_LEADING_WHITESPACE = 1024;
/** A ZIP listing stops here: more entries add nothing to the verdict, only time. */
const MAX_ZIP_ENTRIES = 100_000;
/** cfb reads a compound file whole; a larger one is judged by its signature alone ('ole'). */
const MAX_OLE_BYTES = 256 * 1024 * 1024;

/**
 * Entries a ZIP-based document or archive must not carry: what Windows runs on a double click
 * (programs, installers, shortcuts, scripts for its script hosts and shells).
 */
const PROGRAM_EXTENSIONS = new Set([
  'exe', 'dll', 'com', 'scr', 'pif', 'cpl', 'sys', 'msi', 'msp', 'mst', 'appx', 'msix',
  'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'lnk', 'scf',
  'jar', 'reg', 'sh', 'app',
]);

/** Formats file-type names that run as programs when opened. */
const PROGRAM_FORMATS = new Set(['jar', 'apk', 'crx', 'xpi', 'deb', 'rpm', 'lnk', 'class', 'wasm', 'reg', 'swf', 'chm', 'dex']);

const IMAGE_FORMATS: Record<string, HeaderFormat> = { png: 'png', apng: 'png', jpg: 'jpeg', bmp: 'bmp', gif: 'gif', webp: 'webp' };

const OOXML_MAIN_PARTS: ReadonlyArray<{ part: string; kind: FileKind }> = [
  { part: 'word/document.xml', kind: 'docx' },
  { part: 'xl/workbook.xml', kind: 'xlsx' },
  { part: 'ppt/presentation.xml', kind: 'pptx' },
];

// Root CLSIDs of Windows Installer files (installer, patch, transform), as cfb prints them: the
// GUID's bytes in file order.
const MSI_CLSIDS = new Set(['84100c0000000000c000000000000046', '86100c0000000000c000000000000046', '82100c0000000000c000000000000046']);

export async function inspectFile(file: string): Promise<ContentVerdict> {
  return inspectBytes({ size: (await stat(file)).size, read: (start, end) => createReadStream(file, { start, end }) });
}

export async function inspectBytes(file: RandomAccessBytes): Promise<ContentVerdict> {
  const head = await readHead(file);
  if (head.length === 0) return { kind: 'unknown' };
  const type = await detect(head);
  const text = isText(head);
  const ext = type?.ext;
  if (ext === 'exe') return text ? textKind(head) : { kind: 'exe' };
  if (ext === 'elf' || ext === 'macho') return { kind: ext };
  if (ext === 'cfb') return inspectOle(file);
  if (isZipHead(head)) return inspectZip(file, ext);
  if (ext && IMAGE_FORMATS[ext]) {
    const format = IMAGE_FORMATS[ext];
    // "BM" and friends are two printable letters: a text that starts with them is a text.
    if (format === 'bmp' && text) return textKind(head);
    return imageSize(format, head) ? { kind: format } : { kind: format, damaged: true };
  }
  if (ext === 'pdf' || ext === 'ai') return inspectPdf(file);
  if (ext === 'rtf') return { kind: 'rtf' };
  if (ext && PROGRAM_FORMATS.has(ext)) return { kind: 'program', format: ext };
  if (ext && ext !== 'xml') return { kind: 'other', format: ext };
  if (startsWithPdfHeader(head)) return inspectPdf(file);
  return text ? textKind(head) : { kind: 'unknown' };
}

function readHead(file: RandomAccessBytes): Promise<Buffer> {
  return file.size === 0 ? Promise.resolve(Buffer.alloc(0)) : buffer(file.read(0, Math.min(file.size, HEAD_BYTES) - 1));
}

async function detect(head: Buffer) {
  try {
    return await fileTypeFromBuffer(head);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Text, HTML, PDF

/**
 * Plain text has no control bytes but tab, line breaks, form feed and escape. Bytes ≥ 0x80 are
 * allowed so that UTF-8, windows-1251 and KOI8-R all count; the head may end mid-character.
 */
function isText(head: Buffer): boolean {
  for (const b of head) {
    if (b === 0x7f || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b)) return false;
  }
  return true;
}

/** Past a UTF-8 byte order mark and the white space PDF readers skip (NUL included). */
function contentStart(head: Buffer): number {
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(head[at]!)) at++;
  return at;
}

function startsWithPdfHeader(head: Buffer): boolean {
  const at = contentStart(head);
  return at <= PDF_LEADING_WHITESPACE && head.toString('latin1', at, at + 5) === '%PDF-';
}

// Elements a browser renders as a page, or runs: the preamble of a polyglot that a gateway or
// a viewer may take for HTML whatever it also carries (a "%PDF-" in a comment, say).
const HTML_TAG = /<(?:!doctype\s+html|html|head|body|script|iframe|frameset|svg|object|embed|meta|form|img|a|div|style|title|link|base)[\s>/]/i;

/** Text that opens with markup and holds a page's elements is a page. */
function textKind(head: Buffer): ContentVerdict {
  const at = contentStart(head);
  if (head[at] === 0x3c && HTML_TAG.test(head.toString('latin1', at, at + 4096))) return { kind: 'html' };
  return { kind: 'text' };
}

/** A PDF may not also be a ZIP of programs (a polyglot readers open as PDF and unzip tools as an archive). */
async function inspectPdf(file: RandomAccessBytes): Promise<ContentVerdict> {
  const names = await zipEntryNames(file);
  const program = names?.find(isProgramEntry);
  return program ? { kind: 'pdf', program } : { kind: 'pdf' };
}

// ---------------------------------------------------------------------------------------------
// ZIP and Office Open XML

function isZipHead(head: Buffer): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06));
}

async function inspectZip(file: RandomAccessBytes, ext: string | undefined): Promise<ContentVerdict> {
  const names = await zipEntryNames(file);
  if (!names) return { kind: 'unknown' };
  // OPC part names compare case-insensitively; some writers use backslashes.
  const parts = new Set(names.map((n) => n.replace(/\\/g, '/').toLowerCase()));
  const program = names.find(isProgramEntry);
  const macros = [...parts].some((p) => p.endsWith('vbaproject.bin'));
  const ooxml = parts.has('[content_types].xml') ? OOXML_MAIN_PARTS.find((p) => parts.has(p.part)) : undefined;
  const verdict: ContentVerdict = ooxml
    ? { kind: ooxml.kind }
    : ext && PROGRAM_FORMATS.has(ext)
      ? { kind: 'program', format: ext }
      : { kind: 'zip' };
  if (program) verdict.program = program;
  if (macros) verdict.macros = true;
  return verdict;
}

function isProgramEntry(name: string): boolean {
  if (name.endsWith('/') || name.endsWith('\\')) return false;
  // Windows drops trailing dots and spaces: "setup.exe." runs as setup.exe.
  const base = (name.split(/[/\\]/).at(-1) ?? '').replace(/[.\s]+$/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 && PROGRAM_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

/**
 * The names in a ZIP's central directory, or null when it is not a readable ZIP. Names are
 * decoded here rather than by yauzl, which refuses a whole archive for one "../" name: such an
 * archive is still judged by what it holds.
 */
function zipEntryNames(file: RandomAccessBytes): Promise<string[] | null> {
  const reader = new (class extends yauzl.RandomAccessReader {
    override _readStreamForRange(start: number, end: number) {
      // yauzl's end is exclusive; an empty range is an empty stream.
      return (end > start ? file.read(start, end - 1) : Readable.from([])) as ReturnType<yauzl.RandomAccessReader['_readStreamForRange']>;
    }
  })();
  return new Promise((resolve) => {
    yauzl.fromRandomAccessReader(reader, file.size, { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) return resolve(null);
      const names: string[] = [];
      const done = (result: string[] | null) => {
        zip.close();
        resolve(result);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false));
        if (names.length >= MAX_ZIP_ENTRIES) done(names);
        else zip.readEntry();
      });
      zip.once('end', () => resolve(names));
      zip.once('error', () => done(null));
      zip.readEntry();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// OLE compound files (.doc, .xls, .ppt, .msg, .msi)

async function inspectOle(file: RandomAccessBytes): Promise<ContentVerdict> {
  let container: CFB.CFB$Container;
  try {
    if (file.size > MAX_OLE_BYTES) return { kind: 'ole' };
    const bytes = await buffer(file.read(0, file.size - 1));
    container = CFB.read(bytes, { type: 'buffer' });
  } catch {
    return { kind: 'unknown' };
  }
  const root = container.FileIndex[0];
  if (root && MSI_CLSIDS.has(root.clsid.toLowerCase())) return { kind: 'msi' };
  const streams = new Set(container.FileIndex.map((e) => e.name));
  // Word keeps a document's VBA project in the Macros storage, Excel in _VBA_PROJECT_CUR.
  const macros = container.FullPaths.some((p) => /^[^/]*\/(?:Macros|_VBA_PROJECT_CUR)\//i.test(p));
  const kind: FileKind = streams.has('WordDocument')
    ? 'doc'
    : streams.has('Workbook') || streams.has('Book')
      ? 'xls'
      : streams.has('PowerPoint Document')
        ? 'ppt'
        : [...streams].some((s) => s.startsWith('__substg1.0_'))
          ? 'msg'
          : 'ole';
  return macros ? { kind, macros } : { kind };
}
