// Saving a message's attachments where the operator chose: one file, all of them as one ZIP,
// or all of them into a folder. Bytes stream from the blob store, so a 30 MB attachment is
// never held whole in memory, and every file is written under a temp name in the target
// folder and moved in place only when complete: a failure never leaves a half-written file
// under a name the operator would open.
//
// Over 300 lines: the three ways of saving share the streaming and the failure handling
// (temp files, hard-link publishing, infected files left out); split, each would carry a copy.
import { once } from 'node:events';
import { link, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import { type CreateFile, tempFileIn, writeAtomically, writeTemp } from './atomic-write';
import { COPY_CHUNK } from './blob-store';
import { pathExists } from './path-exists';
import { useNativeCrc32 } from './native-crc32';
import { AppError } from '../errors';
import type { AttachmentCheck } from '../../common/domain/attachment';
import { isInfected } from '../../common/attachment-policy';
import { isCompressed } from '../../common/file-formats';
import { attachmentFileNames } from './download-names';
import { uniqueNames } from './file-names';

/** What export needs to know of a stored attachment (AttachmentsRepo's records fit). */
export interface ExportableAttachment {
  fileName: string;
  mediaType: string;
  blobKey: string;
  /** Shown in the message body; "save all" leaves it out. */
  inline: boolean;
  /** A file the virus scanner found infected is never written out, whoever asks. */
  check?: AttachmentCheck | null;
}

/** The refusal for an infected file, in words and in details the page translates. */
export function infectedError(attachment: Pick<ExportableAttachment, 'fileName' | 'check'>): AppError {
  const signature = attachment.check?.scan.status === 'infected' ? attachment.check.scan.signature : '';
  return new AppError('forbidden', `${attachment.fileName} cannot be saved or opened: a virus was found in it (${signature}).`, {
    reason: 'infected',
    fileName: attachment.fileName,
    signature,
  });
}

export interface AttachmentSource {
  /** In the order the sender attached them. */
  listForMessage(messageId: number): ExportableAttachment[];
  get(attachmentId: number): ExportableAttachment | undefined;
}

/** Bytes read from the blob store so far, of all the bytes this save reads; about every percent. */
export interface ExportProgress {
  done: number;
  total: number;
}

export type OnExportProgress = (progress: ExportProgress) => void;

/** The part of the blob store export reads from. */
export interface BlobReader {
  open(key: string, options?: { chunkSize?: number }): Readable;
  size(key: string): Promise<number>;
}

export interface AttachmentExportDeps {
  blobs: BlobReader;
  attachments: AttachmentSource;
  createFile?: CreateFile;
}

interface PlannedFile {
  name: string;
  blobKey: string;
  size: number;
  store: boolean;
}

// The formats compressed already (common/file-formats.ts) are stored as they are; what is left
// to deflate is text and raw images (rtf, bmp, txt). Level 1 deflates them several times faster
// than zlib's default 6, for archives about 1.5% larger (bench/zip.ts): the operator waits for
// the save, and the compressed formats are the bulk of a mail anyway.
const DEFLATE_LEVEL = 1;

useNativeCrc32();

export class AttachmentExport {
  private readonly blobs: BlobReader;
  private readonly attachments: AttachmentSource;
  private readonly createFile: CreateFile | undefined;

  constructor(deps: AttachmentExportDeps) {
    this.blobs = deps.blobs;
    this.attachments = deps.attachments;
    this.createFile = deps.createFile;
  }

  /** Copies one attachment byte for byte to the file the operator picked (and agreed to replace). */
  async saveOne(attachmentId: number, targetFile: string, onProgress?: OnExportProgress): Promise<void> {
    const attachment = this.attachments.get(attachmentId);
    if (!attachment) throw new AppError('not_found', `There is no attachment ${attachmentId}.`);
    if (isInfected(attachment)) throw infectedError(attachment);
    const file = (await this.plan([attachment]))[0]!;
    const progress = new Progress(file.size, onProgress);
    await this.replace(targetFile, (out) => pipeline(this.blobs.open(file.blobKey, { chunkSize: COPY_CHUNK }), progress.meter(), out));
  }

  /** A message as received (its .eml) byte for byte to the file the operator picked, as saveOne writes a file. */
  async saveOriginal(rawKey: string, targetFile: string): Promise<void> {
    await this.replace(targetFile, (out) => pipeline(this.blobs.open(rawKey, { chunkSize: COPY_CHUNK }), out));
  }

  /**
   * One ZIP of the message's attachments, streamed: into `target` when it is a stream (which is
   * ended with the archive), or into a temp file moved onto the path `target` when complete.
   */
  async saveZip(messageId: number, target: NodeJS.WritableStream | string, onProgress?: OnExportProgress): Promise<void> {
    const files = await this.plan(this.saveable(messageId));
    const progress = new Progress(totalSize(files), onProgress);
    if (typeof target !== 'string') return this.zip(files, target, progress);
    await this.replace(target, (out) => this.zip(files, out, progress));
  }

  /**
   * Every attachment as its own file in `folder`, under safe names distinct from each other and
   * from the files already there; an existing file is never replaced. Returns the names written.
   */
  async saveToFolder(messageId: number, folder: string, onProgress?: OnExportProgress): Promise<string[]> {
    const attachments = this.saveable(messageId);
    const dir = path.resolve(folder);
    const existing = await namesIn(dir);
    const files = await this.plan(attachments, existing);
    const progress = new Progress(totalSize(files), onProgress);
    const taken = [...existing, ...files.map((f) => f.name)];
    const written: string[] = [];
    for (const file of files) {
      try {
        const tmp = await this.writeUnpublished(dir, (out) => pipeline(this.blobs.open(file.blobKey, { chunkSize: COPY_CHUNK }), progress.meter(), out));
        written.push(await publishNew(tmp, dir, file.name, taken));
      } catch (error) {
        throw partlySaved(error, written, files.length);
      }
    }
    return written;
  }

  /** What "save all" writes: the message's files but the inline ones and the infected ones. */
  private saveable(messageId: number): ExportableAttachment[] {
    const files = this.attachments.listForMessage(messageId).filter((a) => !a.inline);
    if (files.length === 0) throw new AppError('not_found', `Message ${messageId} has no attachments to save.`);
    const attachments = files.filter((a) => !isInfected(a));
    if (attachments.length === 0) throw infectedError(files[0]!);
    return attachments;
  }

  /** Names, sizes and compression decided up front, so a missing blob stops the save before any write. */
  private plan(attachments: ExportableAttachment[], taken: Iterable<string> = []): Promise<PlannedFile[]> {
    const names = attachmentFileNames(attachments.map((a) => a.fileName), taken);
    return Promise.all(
      attachments.map(async (a, i) => ({
        name: names[i]!,
        blobKey: a.blobKey,
        size: await this.blobSize(a),
        store: isCompressed(names[i]!, a.mediaType),
      })),
    );
  }

  private async blobSize(attachment: ExportableAttachment): Promise<number> {
    try {
      return await this.blobs.size(attachment.blobKey);
    } catch (error) {
      throw withCause(new AppError('not_found', `The stored bytes of "${attachment.fileName}" are missing.`), error);
    }
  }

  /** The file the operator picked, replaced only by a complete one; a failure in the operator's words. */
  private async replace(targetFile: string, fill: (out: Writable) => Promise<void>): Promise<void> {
    const target = path.resolve(targetFile);
    // No fsync: a saved file is a copy (the original stays in the blob store, which is fsynced),
    // so a power cut can cost the operator a second save, never the file; browsers, cp and zip
    // do not fsync their output either, and it was a fifth of the time of a 30 MB ZIP.
    // Writing to a temp name and renaming still keeps a half-written file off the chosen name.
    try {
      await writeAtomically(target, fill, { createFile: this.createFile });
    } catch (error) {
      throw writeError(error, path.dirname(target));
    }
  }

  /** A complete file under a temp name in `dir`, for publishNew to name; a failure in the operator's words. */
  private async writeUnpublished(dir: string, fill: (out: Writable) => Promise<void>): Promise<string> {
    const tmp = tempFileIn(dir);
    try {
      await writeTemp(tmp, fill, this.createFile);
      return tmp;
    } catch (error) {
      throw writeError(error, dir);
    }
  }

  private async zip(files: PlannedFile[], out: NodeJS.WritableStream, progress: Progress): Promise<void> {
    const archive = new ZipArchive({ zlib: { level: DEFLATE_LEVEL }, forceLocalTime: true });
    const [written, fed] = await Promise.allSettled([pipeline(archive, out), appendAll(archive, files, this.blobs, progress)]);
    // When the output fails (a full disk), that is the cause; the feed only saw the archive die.
    if (written.status === 'rejected') throw written.reason;
    if (fed.status === 'rejected') throw fed.reason;
  }
}

/** Entries go in one at a time, so one blob is open at once however many attachments there are. */
async function appendAll(archive: ZipArchive, files: PlannedFile[], blobs: BlobReader, progress: Progress): Promise<void> {
  let source: Readable | undefined;
  try {
    for (const file of files) {
      source = blobs.open(file.blobKey, { chunkSize: COPY_CHUNK });
      const metered = progress.meter();
      // archiver joins a source with .pipe(), which does not pass errors on: a failed read
      // would stall the archive for ever, so it is ended here instead.
      pipeline(source, metered).catch((error: unknown) =>
        archive.destroy(withCause(new AppError('internal', `Could not read the stored bytes of "${file.name}".`), error)),
      );
      const appended = once(archive, 'entry');
      archive.append(metered, { name: file.name, store: file.store });
      await appended;
    }
  } catch (error) {
    // Whatever stopped the feed, the output pipeline must end too, and the open blob be let go.
    source?.destroy();
    archive.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  // Completion and failure both show on the output pipeline; this promise adds nothing.
  archive.finalize().catch(() => undefined);
}

/** Reports at most about a hundred times per save (each percent), and always the end. */
class Progress {
  private done = 0;
  private reported = 0;
  private readonly step: number;

  constructor(
    private readonly total: number,
    private readonly onProgress: OnExportProgress | undefined,
  ) {
    this.step = Math.max(1, Math.floor(total / 100));
  }

  /** A pass-through counting the bytes read from the blob store. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        this.done += chunk.length;
        if (this.onProgress && (this.done - this.reported >= this.step || this.done === this.total)) {
          this.reported = this.done;
          this.onProgress({ done: this.done, total: this.total });
        }
        next(null, chunk);
      },
    });
  }
}

function totalSize(files: PlannedFile[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    throw writeError(error, dir);
  }
}

/** The last guard: whatever a name turned out to be, the file lands directly in the folder. */
function insideFolder(dir: string, name: string): string {
  const file = path.resolve(dir, name);
  if (path.dirname(file) !== dir || path.basename(file) !== name) {
    throw new AppError('invalid_input', `Refusing to write outside the folder: ${JSON.stringify(name)}.`);
  }
  return file;
}

/** Moves a complete temp file to a free name; a file that appeared meanwhile is not replaced but avoided. */
async function publishNew(tmp: string, dir: string, wanted: string, taken: string[]): Promise<string> {
  let name = wanted;
  try {
    while (!(await moveIfAbsent(tmp, insideFolder(dir, name)))) {
      taken.push(name);
      name = uniqueNames([wanted], taken)[0]!;
    }
    return name;
  } catch (error) {
    await rm(tmp, { force: true });
    throw writeError(error, dir);
  }
}

async function moveIfAbsent(tmp: string, target: string): Promise<boolean> {
  try {
    // A hard link is created only if the name is free, in one step: no check-then-write race.
    await link(tmp, target);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    // FAT, exFAT and some network shares have no hard links: look, then rename.
    if (await pathExists(target)) return false;
    await rename(tmp, target);
    return true;
  }
  await rm(tmp, { force: true });
  return true;
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  error.cause = cause;
  return error;
}

/** A file-system failure while writing into `dir`, said so the operator knows what to do. */
function writeError(error: unknown, dir: string): Error {
  if (error instanceof AppError) return error;
  const errno = errnoOf(error);
  const details = { errno, folder: dir };
  switch (errno) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return withCause(new AppError('forbidden', `The folder is not writable: ${dir}`, { ...details, reason: 'folder_not_writable' }), error);
    case 'ENOSPC':
    case 'EDQUOT':
      return withCause(new AppError('internal', `The disk is full: nothing more fits in ${dir}`, { ...details, reason: 'disk_full' }), error);
    case 'ENOENT':
    case 'ENOTDIR':
      return withCause(new AppError('not_found', `The folder does not exist: ${dir}`, { ...details, reason: 'folder_missing' }), error);
    default:
      return withCause(
        new AppError('internal', `Could not save into ${dir}: ${error instanceof Error ? error.message : String(error)}`, details),
        error,
      );
  }
}

/** The files saved before a failure stay (they are complete); the message says how far it got. */
function partlySaved(error: unknown, written: string[], total: number): Error {
  if (!(error instanceof AppError) || written.length === 0) return error instanceof Error ? error : new Error(String(error));
  return withCause(
    new AppError(error.code, `${error.message} (${written.length} of ${total} files were saved)`, { ...error.details, written }),
    error.cause,
  );
}
