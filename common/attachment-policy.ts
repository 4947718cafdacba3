// The one attachment policy: which files an operator may attach and when a message may be sent.
// The file dialog's filter, the checks in main, the composer's hints and the check at send time
// all ask this module, so they can never disagree. It is pure (no Node, no DOM): main inspects
// the whole file (main/files/content-inspector.ts) and scans it, and this module turns that
// verdict into the one problem the operator sees; the page shows main's verdict, never its own.
import type { AttachmentRules, ContentProblem, FileKind, FileProblem, ScanVerdict } from './domain/attachment';
import { extensionOf, fileFormat } from './file-formats';
import { type MessageKey } from './i18n/en';
import { formatSize, type SizeLang } from './size';

/** main's verdict on a file's content; the renderer only ever sees the problems made of it. */
export interface ContentVerdict {
  kind: FileKind;
  /** file-type's name of the format ('mp4', 'jar') for kinds 'other' and 'program'. */
  format?: string;
  /** The first program or script found inside a container (a ZIP entry such as "setup.exe"). */
  program?: string;
  /** VBA macros inside: vbaProject.bin in OOXML, a Macros or _VBA_PROJECT_CUR storage in OLE. */
  macros?: boolean;
  /** An image whose header does not decode (no width and height): only its magic bytes are right. */
  damaged?: boolean;
}

/** A file the virus scanner found infected: blocked everywhere, neither saved nor shown. */
export function isInfected(file: { check?: { scan: ScanVerdict } | null }): boolean {
  return file.check?.scan.status === 'infected';
}

// ---------------------------------------------------------------------------------------------
// Extension ↔ content (which contents each extension may have: common/file-formats.ts)

const EXECUTABLES: ReadonlySet<FileKind> = new Set<FileKind>(['exe', 'elf', 'macho', 'msi', 'program']);

/**
 * Whether content fits the extension. Extensions the table does not know (an administrator may
 * allow "txt" or "odt") accept any content except a program: we cannot check them, but a
 * program under another name is never what an operator means to send.
 */
export function matchesExtension(extension: string, content: Pick<ContentVerdict, 'kind'>): boolean {
  const expected = fileFormat(extension)?.content;
  return expected ? expected.includes(content.kind) : !EXECUTABLES.has(content.kind);
}

/**
 * Whether the content is what the name says, or the one problem that tells what it really is.
 * A different format first (nothing else about it matters), then a program inside, then
 * macros, then a damaged image header. Outgoing files are refused for it (checkFile); incoming
 * ones carry it as a warning.
 */
export function contentProblem(fileName: string, content: ContentVerdict): ContentProblem | null {
  const extension = extensionOf(fileName);
  if (!matchesExtension(extension, content)) {
    return { code: 'content_mismatch', extension, actual: content.kind, ...(content.format ? { format: content.format } : {}) };
  }
  if (content.program) return { code: 'contains_program', extension, entry: content.program };
  if (content.macros) return { code: 'macros', extension };
  // A damaged header matters where the name promises that image; elsewhere the format is unchecked.
  if (content.damaged && fileFormat(extension)?.content?.includes(content.kind)) return { code: 'damaged', extension };
  return null;
}

// ---------------------------------------------------------------------------------------------
// One file

export type FileToCheck = {
  name: string;
  size: number;
  /** null when the file could not be read. */
  content: ContentVerdict | null;
  /** Why it could not be read (e.g. "EACCES"), shown to the operator; only used when content is null. */
  readError?: string;
  /** The virus scan; absent or 'off' when no scanner is configured. */
  scan?: ScanVerdict;
};

/**
 * The one problem to show for a file, or null when it may be sent. Precedence, first wins:
 * 1. unreadable — without the bytes every other verdict would be a guess;
 * 2. empty — a 0-byte file has no content to compare, and "empty" is the truth whatever its name;
 * 3. infected — a virus is the one thing the operator must hear about whatever else is wrong;
 * 4. format_not_allowed — the administrator's rule, decided by the name alone; nothing else matters
 *    for a format that will never be accepted;
 * 5. the content (contentProblem: another format, a program inside, macros, a damaged image) —
 *    before the size, because the operator picked the wrong file (or a disguised program):
 *    advice to make it smaller would be wrong advice;
 * 6. too_large;
 * 7. scan_unavailable — last, because it is the only one that goes away by itself: the file is
 *    fine by every rule and waits for the virus check to be back.
 */
export function checkFile(file: FileToCheck, rules: Pick<AttachmentRules, 'allowedFormats' | 'maxFileSize'>): FileProblem | null {
  if (file.content === null) return { code: 'unreadable', reason: file.readError ?? 'unknown error' };
  if (file.size === 0) return { code: 'empty' };
  if (file.scan?.status === 'infected') return { code: 'infected', signature: file.scan.signature };
  const format = formatProblem(file.name, rules);
  if (format) return format;
  const content = contentProblem(file.name, file.content);
  if (content) return content;
  if (file.size > rules.maxFileSize) return { code: 'too_large', size: file.size, limit: rules.maxFileSize };
  if (file.scan?.status === 'not_scanned') return { code: 'scan_unavailable', reason: file.scan.reason };
  return null;
}

/**
 * The problem of a file over the per-file limit, judged by its name and size alone: its bytes
 * are never read (an upload is refused at the door, a picked file is only stat'ed), so the
 * content rules cannot speak. The administrator's format rule still comes first, as in checkFile.
 */
export function checkOversized(file: { name: string; size: number }, rules: Pick<AttachmentRules, 'allowedFormats' | 'maxFileSize'>): FileProblem {
  return formatProblem(file.name, rules) ?? { code: 'too_large', size: file.size, limit: rules.maxFileSize };
}

/** The administrator's rule, decided by the name alone. */
function formatProblem(name: string, rules: Pick<AttachmentRules, 'allowedFormats'>): FileProblem | null {
  const extension = extensionOf(name);
  const allowed = uniqueFormats(rules.allowedFormats);
  return allowed.includes(extension) ? null : { code: 'format_not_allowed', extension, allowed };
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

// Format names as operators know them from file managers. 'text', 'html' and 'unknown' have
// their own wording; 'other' and 'program' show file-type's name of the format.
const KIND_LABELS: Readonly<Record<FileKind, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  bmp: 'BMP',
  gif: 'GIF',
  webp: 'WebP',
  pdf: 'PDF',
  rtf: 'RTF',
  doc: 'DOC',
  xls: 'XLS',
  ppt: 'PPT',
  msi: 'MSI',
  msg: 'MSG',
  ole: 'OLE',
  zip: 'ZIP',
  docx: 'DOCX',
  xlsx: 'XLSX',
  pptx: 'PPTX',
  exe: 'EXE',
  elf: 'ELF',
  macho: 'Mach-O',
  program: '?',
  html: 'HTML',
  text: 'TXT',
  other: '?',
  unknown: '?',
};

function kindLabel(kind: FileKind, format?: string): string {
  return (kind === 'other' || kind === 'program') && format ? format.toUpperCase() : KIND_LABELS[kind];
}

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
      return { key: mismatchKey(problem.actual), params: { extension: problem.extension, actual: kindLabel(problem.actual, problem.format) } };
    case 'contains_program':
      return { key: 'attachments.problem.program', params: { extension: problem.extension, entry: problem.entry } };
    case 'macros':
      return { key: 'attachments.problem.macros', params: { extension: problem.extension } };
    case 'damaged':
      return { key: 'attachments.problem.damaged', params: { extension: problem.extension } };
    case 'too_large':
      return { key: 'attachments.problem.tooLarge', params: { size: formatSize(problem.size, lang), limit: formatSize(problem.limit, lang) } };
    case 'infected':
      return { key: 'attachments.problem.infected', params: { signature: problem.signature } };
    case 'scan_unavailable':
      return { key: 'attachments.problem.scanUnavailable', params: { reason: problem.reason } };
  }
}

// A disguised program, a web page and plain text get their own words: "EXE" alone means
// little to an operator, and "HTML" or "TXT" less than what they are.
function mismatchKey(actual: FileKind): PolicyMessageKey {
  if (EXECUTABLES.has(actual)) return 'attachments.problem.executable';
  if (actual === 'html') return 'attachments.problem.html';
  if (actual === 'text') return 'attachments.problem.text';
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
