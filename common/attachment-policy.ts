// The one attachment policy: which files an operator may attach and when a message may be sent.
// The file dialog's filter, the checks in main, the composer's hints and the check at send time
// all ask this module, so they can never disagree. It is pure (no Node, no DOM): the renderer
// runs it on File.slice() bytes, main on the first bytes it reads from disk.
import { extensionOf } from './attachment-display';
import { type MessageKey } from './i18n/en';
import { formatSize, type SizeLang } from './size';

/** The config's `attachments` section (main/config/schema.ts); declared here because common/ may not import main/. */
export type AttachmentRules = {
  /** Lower-case extensions without the dot. */
  allowedFormats: readonly string[];
  maxFileSize: number;
  maxTotalSize: number;
};

/**
 * How many leading bytes callers should hand to `sniff`. More than the few bytes a signature
 * needs because of OOXML: the `word/` entry may come after `[Content_Types].xml`, `_rels/` and
 * `docProps/` (a thumbnail there can be tens of KB). Reading 64 KB is still instant.
 */
export const SNIFF_BYTES = 64 * 1024;

/** What sniffing can tell a file is; 'ole' is Compound File Binary (.doc, .xls, .ppt, .msg). */
export const SNIFF_KINDS = ['jpeg', 'png', 'bmp', 'gif', 'webp', 'pdf', 'ole', 'rtf', 'zip', 'docx', 'xlsx', 'pptx', 'exe', 'elf', 'text', 'unknown'] as const;

export type SniffKind = (typeof SNIFF_KINDS)[number];

export type SniffResult = { kind: SniffKind };

export type FileProblem =
  | { code: 'format_not_allowed'; extension: string; allowed: string[] }
  | { code: 'content_mismatch'; extension: string; actual: SniffKind }
  | { code: 'too_large'; size: number; limit: number }
  | { code: 'empty' }
  | { code: 'unreadable'; reason: string };

// ---------------------------------------------------------------------------------------------
// Content sniffing

type Signature = { kind: SniffKind; bytes: readonly number[] };

// Signatures at the very start of the file. Executables are checked first so that a polyglot (an EXE that
// also carries "%PDF-" in its first kilobyte) is reported as what the OS would run.
const SIGNATURES: readonly Signature[] = [
  { kind: 'elf', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'gif', bytes: ascii('GIF87a') },
  { kind: 'gif', bytes: ascii('GIF89a') },
  { kind: 'ole', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: 'rtf', bytes: ascii('{\\rtf') },
];

const PDF_MAGIC = ascii('%PDF-');
/** Acrobat and pdf.js find the header anywhere in the first 1024 bytes; mail gateways sometimes prepend junk. */
const PDF_HEADER_WINDOW = 1024;

/** What the file really is, judged from its first bytes (see SNIFF_BYTES). */
export function sniff(head: Uint8Array): SniffResult {
  return { kind: sniffKind(head) };
}

function sniffKind(head: Uint8Array): SniffKind {
  if (head.length === 0) return 'unknown';
  // "MZ" is two printable letters, so it counts only when the rest is binary too.
  if (startsWith(head, ascii('MZ')) && !isText(head)) return 'exe';
  for (const s of SIGNATURES) if (startsWith(head, s.bytes)) return s.kind;
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (isBmp(head)) return 'bmp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return zipKind(head);
  if (indexOf(head, PDF_MAGIC, PDF_HEADER_WINDOW + PDF_MAGIC.length) >= 0) return 'pdf';
  return isText(head) ? 'text' : 'unknown';
}

// The sizes of the DIB headers Windows and OS/2 define (BITMAPCOREHEADER … BITMAPV5HEADER).
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** "BM" alone would also match any text starting with those letters; a real header names a known DIB size and puts the pixels after it. */
function isBmp(head: Uint8Array): boolean {
  if (!startsWith(head, ascii('BM')) || head.length < 18) return false;
  const dibSize = u32le(head, 14);
  const pixelOffset = u32le(head, 10);
  return BMP_DIB_HEADER_SIZES.has(dibSize) && pixelOffset >= 14 + dibSize;
}

const OOXML_PARTS: ReadonlyArray<{ folder: number[]; kind: SniffKind }> = [
  { folder: ascii('word/'), kind: 'docx' },
  { folder: ascii('xl/'), kind: 'xlsx' },
  { folder: ascii('ppt/'), kind: 'pptx' },
];

/**
 * A .docx, .xlsx and .pptx are ZIPs told apart by their part folders. Local headers are found by
 * scanning rather than by walking sizes, because streamed ZIPs (bit 3, data descriptor) leave the
 * size in the local header at 0; central directory headers count too, for ZIPs smaller than the head.
 */
function zipKind(head: Uint8Array): SniffKind {
  for (const name of zipEntryNames(head)) {
    for (const part of OOXML_PARTS) if (startsWith(name, part.folder)) return part.kind;
  }
  return 'zip';
}

function* zipEntryNames(head: Uint8Array): Generator<Uint8Array> {
  for (let i = head.indexOf(0x50); i >= 0 && i + 4 <= head.length; i = head.indexOf(0x50, i + 1)) {
    if (head[i + 1] !== 0x4b) continue;
    const local = head[i + 2] === 0x03 && head[i + 3] === 0x04;
    const central = head[i + 2] === 0x01 && head[i + 3] === 0x02;
    if (!local && !central) continue;
    const lengthAt = i + (local ? 26 : 28);
    const nameAt = i + (local ? 30 : 46);
    if (nameAt > head.length) continue;
    const length = u16le(head, lengthAt);
    if (length > 0 && nameAt + length <= head.length) yield head.subarray(nameAt, nameAt + length);
  }
}

/**
 * Plain text has no control bytes but tab, line breaks, form feed and escape. Bytes ≥ 0x80 are
 * allowed so that UTF-8, windows-1251 and KOI8-R all count; the head may end mid-character.
 */
function isText(head: Uint8Array): boolean {
  for (const b of head) {
    if (b === 0x7f || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Extension ↔ content

/**
 * The contents each known extension may have. Word opens RTF saved as .doc, so a .doc may be RTF.
 * A .docx must show a `word/` entry: a ZIP without one (kind 'zip') is refused, because Word
 * refuses it too, and every writer we know (Word, LibreOffice, Google Docs, python-docx) puts
 * `word/` within the first few KB, well inside SNIFF_BYTES.
 */
const EXPECTED_CONTENT: Readonly<Record<string, readonly SniffKind[]>> = {
  jpeg: ['jpeg'],
  jpg: ['jpeg'],
  png: ['png'],
  bmp: ['bmp'],
  gif: ['gif'],
  webp: ['webp'],
  pdf: ['pdf'],
  doc: ['ole', 'rtf'],
  xls: ['ole'],
  ppt: ['ole'],
  rtf: ['rtf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  zip: ['zip', 'docx', 'xlsx', 'pptx'],
  exe: ['exe'],
};

const EXECUTABLES: ReadonlySet<SniffKind> = new Set<SniffKind>(['exe', 'elf']);

/**
 * Whether content fits the extension. Extensions the table does not know (an administrator may
 * allow "txt" or "odt") accept any content except a program: we cannot check them, but a
 * program under another name is never what an operator means to send.
 */
export function matchesExtension(extension: string, sniffed: SniffResult): boolean {
  const expected = EXPECTED_CONTENT[extension.toLowerCase()];
  return expected ? expected.includes(sniffed.kind) : !EXECUTABLES.has(sniffed.kind);
}

// ---------------------------------------------------------------------------------------------
// One file

export type FileToCheck = {
  name: string;
  size: number;
  /** null when the file could not be read. */
  sniffed: SniffResult | null;
  /** Why it could not be read (e.g. "EACCES"), shown to the operator; only used when sniffed is null. */
  readError?: string;
};

/**
 * The one problem to show for a file, or null when it may be sent. Precedence, first wins:
 * 1. unreadable — without the bytes every other verdict would be a guess;
 * 2. empty — a 0-byte file has no content to compare, and "empty" is the truth whatever its name;
 * 3. format_not_allowed — the administrator's rule, decided by the name alone; nothing else matters
 *    for a format that will never be accepted;
 * 4. content_mismatch — before the size, because the operator picked the wrong file (or a disguised
 *    program): advice to make it smaller would be wrong advice;
 * 5. too_large.
 */
export function checkFile(file: FileToCheck, rules: Pick<AttachmentRules, 'allowedFormats' | 'maxFileSize'>): FileProblem | null {
  if (file.sniffed === null) return { code: 'unreadable', reason: file.readError ?? 'unknown error' };
  if (file.size === 0) return { code: 'empty' };
  const extension = extensionOf(file.name);
  const allowed = uniqueFormats(rules.allowedFormats);
  if (!allowed.includes(extension)) return { code: 'format_not_allowed', extension, allowed };
  if (!matchesExtension(extension, file.sniffed)) return { code: 'content_mismatch', extension, actual: file.sniffed.kind };
  if (file.size > rules.maxFileSize) return { code: 'too_large', size: file.size, limit: rules.maxFileSize };
  return null;
}

// The schema already lower-cases; this also keeps hand-written rules (tests, callers) honest and
// drops duplicates such as ["jpg", "JPG"].
function uniqueFormats(formats: readonly string[]): string[] {
  return [...new Set(formats.map((f) => f.toLowerCase()))];
}

// ---------------------------------------------------------------------------------------------
// The whole message

export type MessageCheck = {
  canSend: boolean;
  /** Files with a problem: they block sending until removed, so nothing is silently left out. */
  invalidCount: number;
  /** Bytes of the files without a problem; invalid files never count towards the total. */
  validTotal: number;
  /** Bytes over maxTotalSize, 0 when within (exactly at the limit is within). */
  overBy: number;
  /** Neither text (whitespace does not count) nor any file: Send is disabled without a hint. */
  empty: boolean;
};

export function checkMessage(
  input: { text: string; files: ReadonlyArray<{ size: number; problem: FileProblem | null }> },
  rules: Pick<AttachmentRules, 'maxTotalSize'>,
): MessageCheck {
  const valid = input.files.filter((f) => f.problem === null);
  const validTotal = valid.reduce((sum, f) => sum + f.size, 0);
  const invalidCount = input.files.length - valid.length;
  const overBy = Math.max(0, validTotal - rules.maxTotalSize);
  const empty = input.text.trim() === '' && input.files.length === 0;
  return { canSend: !empty && invalidCount === 0 && overBy === 0, invalidCount, validTotal, overBy, empty };
}

/**
 * The composer's order: invalid files first (they need the operator's action), then newest first.
 * `seq` grows with every attached file, so within one batch (same attachedAt) the later one is newer.
 */
export function sortAttachments<T extends { problem: FileProblem | null; attachedAt: number; seq: number }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => Number(b.problem !== null) - Number(a.problem !== null) || b.attachedAt - a.attachedAt || b.seq - a.seq,
  );
}

/** The `<input accept>` / dialog filter value: ".jpeg,.jpg,.png" — exactly the configured extensions. */
export function dialogAccept(rules: Pick<AttachmentRules, 'allowedFormats'>): string {
  return uniqueFormats(rules.allowedFormats)
    .map((f) => `.${f}`)
    .join(',');
}

// ---------------------------------------------------------------------------------------------
// Words for the UI: keys and parameters, so each side translates with its own `t`.

export type PolicyMessageKey = Extract<MessageKey, `attachments.problem.${string}` | 'attachments.total' | 'attachments.overLimit'>;
export type PolicyMessage = { key: PolicyMessageKey; params: Record<string, string | number> };

// Format names as operators know them from file managers; 'text' and 'unknown' have their own wording.
const KIND_LABELS: Readonly<Record<SniffKind, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  bmp: 'BMP',
  gif: 'GIF',
  webp: 'WebP',
  pdf: 'PDF',
  ole: 'DOC/XLS/PPT',
  rtf: 'RTF',
  zip: 'ZIP',
  docx: 'DOCX',
  xlsx: 'XLSX',
  pptx: 'PPTX',
  exe: 'EXE',
  elf: 'ELF',
  text: 'TXT',
  unknown: '?',
};

export function problemMessage(problem: FileProblem, lang: SizeLang = 'en'): PolicyMessage {
  switch (problem.code) {
    case 'unreadable':
      return { key: 'attachments.problem.unreadable', params: { reason: problem.reason } };
    case 'empty':
      return { key: 'attachments.problem.empty', params: {} };
    case 'format_not_allowed': {
      const allowed = problem.allowed.map((f) => `.${f}`).join(', ');
      return problem.extension === ''
        ? { key: 'attachments.problem.noExtension', params: { allowed } }
        : { key: 'attachments.problem.format', params: { extension: problem.extension, allowed } };
    }
    case 'content_mismatch':
      return { key: mismatchKey(problem.actual), params: { extension: problem.extension, actual: KIND_LABELS[problem.actual] } };
    case 'too_large':
      return { key: 'attachments.problem.tooLarge', params: { size: formatSize(problem.size, lang), limit: formatSize(problem.limit, lang) } };
  }
}

// A disguised program gets its own words: "EXE" alone means little to an operator.
function mismatchKey(actual: SniffKind): PolicyMessageKey {
  if (EXECUTABLES.has(actual)) return 'attachments.problem.executable';
  if (actual === 'unknown') return 'attachments.problem.unrecognized';
  return 'attachments.problem.mismatch';
}

/** The composer's size meter ("12 MB of 30 MB") and, when over, what to do about it. */
export function totalMessages(
  check: Pick<MessageCheck, 'validTotal' | 'overBy'>,
  rules: Pick<AttachmentRules, 'maxTotalSize'>,
  lang: SizeLang = 'en',
): { meter: PolicyMessage; over: PolicyMessage | null } {
  const limit = formatSize(rules.maxTotalSize, lang);
  return {
    meter: { key: 'attachments.total', params: { total: formatSize(check.validTotal, lang), limit } },
    over: check.overBy > 0 ? { key: 'attachments.overLimit', params: { over: formatSize(check.overBy, lang), limit } } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Bytes

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[] | Uint8Array, at = 0): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** Where `needle` starts within the first `limit` bytes, or -1. */
function indexOf(bytes: Uint8Array, needle: readonly number[], limit: number): number {
  const last = Math.min(bytes.length, limit) - needle.length;
  for (let i = 0; i <= last; i++) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

function u16le(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
}

function u32le(bytes: Uint8Array, at: number): number {
  return (u16le(bytes, at) + u16le(bytes, at + 2) * 0x10000) >>> 0;
}
