// A file of a message — received, or attached by the operator — and what main found in it.
import { z } from 'zod';
import { attachmentFields } from '../mail-fields';

/**
 * What a file really is, as main's inspection of its whole content finds it
 * (main/files/content-inspector.ts: file-type, yauzl for ZIP listings, cfb for OLE compound
 * files). 'doc', 'xls', 'ppt', 'msi' and 'msg' are OLE compound files told apart by their
 * streams; 'ole' is any other one. 'program' is an executable format file-type names ('jar',
 * 'apk', 'lnk'…) and 'other' any other format it knows; both carry that name in `format`.
 */
export const FILE_KINDS = [
  'jpeg', 'png', 'bmp', 'gif', 'webp', 'pdf', 'rtf',
  'doc', 'xls', 'ppt', 'msi', 'msg', 'ole',
  'zip', 'docx', 'xlsx', 'pptx',
  'exe', 'elf', 'macho', 'program',
  'html', 'text', 'other', 'unknown',
] as const;

export type FileKind = (typeof FILE_KINDS)[number];

/** The config's `attachments` section: what an operator may attach. */
export const attachmentRules = z.object({
  /** Lower-case extensions without the dot. */
  allowedFormats: z.array(z.string()),
  maxFileSize: z.number().int(),
  maxTotalSize: z.number().int(),
});

/** Why a file's content is not what its name says (common/attachment-policy.ts, contentProblem). */
const contentProblemSchemas = [
  z.object({ code: z.literal('content_mismatch'), extension: z.string(), actual: z.enum(FILE_KINDS), format: z.string().optional() }),
  z.object({ code: z.literal('contains_program'), extension: z.string(), entry: z.string() }),
  z.object({ code: z.literal('macros'), extension: z.string() }),
  z.object({ code: z.literal('damaged'), extension: z.string() }),
] as const;

/** What an antivirus engine said; 'off' when no scanner is configured. */
export const scanVerdict = z.discriminatedUnion('status', [
  z.object({ status: z.literal('clean') }),
  z.object({ status: z.literal('infected'), signature: z.string() }),
  z.object({ status: z.literal('not_scanned'), reason: z.string() }),
  z.object({ status: z.literal('off') }),
]);

/** What main's check of a received file found (main/files/incoming-checks.ts). */
export const attachmentCheck = z.object({
  /** The content is not what the name says (an .exe named .pdf, macros, a program inside); saving asks first. */
  warning: z.discriminatedUnion('code', [...contentProblemSchemas]).nullable(),
  /** 'infected' files are blocked: main neither saves nor serves them. */
  scan: scanVerdict,
});

/** Why a file may not be sent (the hint beside it in the composer). */
export const fileProblem = z.discriminatedUnion('code', [
  z.object({ code: z.literal('format_not_allowed'), extension: z.string(), allowed: z.array(z.string()) }),
  ...contentProblemSchemas,
  z.object({ code: z.literal('too_large'), size: z.number().int(), limit: z.number().int() }),
  z.object({ code: z.literal('empty') }),
  z.object({ code: z.literal('unreadable'), reason: z.string() }),
  z.object({ code: z.literal('infected'), signature: z.string() }),
  z.object({ code: z.literal('scan_unavailable'), reason: z.string() }),
]);

/** The fields are those main checks incoming mail against (common/mail-fields.ts). */
export const attachmentView = attachmentFields.extend({
  id: z.number().int(),
  /** null until main has checked the file (and always for the operator's own files, checked when attached). */
  check: attachmentCheck.nullable(),
});

/** How "Download all files" saves a message's attachments by default. */
export const SAVE_ALL_MODES = ['zip', 'folder'] as const;
export const saveAllMode = z.enum(SAVE_ALL_MODES);

/**
 * What a save did. The desktop app writes files itself ('saved', or 'cancelled' in its dialog);
 * the browser host hands the page a same-origin URL to download ('download') or, for a folder,
 * the files to write with the browser's directory picker ('pick-folder').
 */
export const saveOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('saved'), files: z.array(z.string()) }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('download'), url: z.string(), fileName: z.string() }),
  z.object({ status: z.literal('pick-folder'), files: z.array(z.object({ url: z.string(), fileName: z.string() })) }),
  /** Nothing saved yet: these files carry warnings; the same request with acceptWarnings saves them. */
  z.object({ status: z.literal('confirm'), files: z.array(z.object({ fileName: z.string(), check: attachmentCheck })) }),
]);

export type AttachmentRules = z.output<typeof attachmentRules>;
export type ScanVerdict = z.output<typeof scanVerdict>;
export type AttachmentCheck = z.output<typeof attachmentCheck>;
export type FileProblem = z.output<typeof fileProblem>;
/** The problems that say a file is not what its name says: the warning an incoming file carries. */
export type ContentProblem = NonNullable<AttachmentCheck['warning']>;
export type AttachmentView = z.output<typeof attachmentView>;
export type SaveAllMode = z.output<typeof saveAllMode>;
export type SaveOutcome = z.output<typeof saveOutcome>;
