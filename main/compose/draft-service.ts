// The reply composer's state lives here, in main: the draft's text and files, each file checked
// against the one attachment policy as it is attached (valid files copied into the blob store
// at once, so the draft still sends if the original is moved), and checked again at send time
// whatever the page believes.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { checkFile, checkMessage, SNIFF_BYTES, sniff, sortAttachments, type FileProblem } from '../../common/attachment-policy';
import type { DraftView } from '../../preload/contract';
import type { AttachmentRules } from '../config/schema';
import { AppError } from '../errors';
import type { BlobStore } from '../files/blob-store';
import { safeFileName } from '../files/safe-name';
import type { Outbox } from '../mail/outbox';
import type { DraftsRepo } from '../store/drafts-repo';

export interface DraftServiceDeps {
  drafts: DraftsRepo;
  blobs: BlobStore;
  outbox: Pick<Outbox, 'enqueue'>;
  rules: AttachmentRules;
  now?: () => number;
}

const MEDIA_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  rtf: 'application/rtf',
};

function mediaTypeOf(fileName: string): string {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

export class DraftService {
  private readonly now: () => number;

  constructor(private readonly deps: DraftServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  open(conversationId: number): DraftView {
    return this.view(this.deps.drafts.replyDraft(conversationId, this.now()).id);
  }

  setText(draftId: number, text: string): DraftView {
    this.draft(draftId);
    this.deps.drafts.setText(draftId, text, this.now());
    return this.view(draftId);
  }

  /** Files the operator chose in the native dialog (desktop app). */
  async attachPaths(draftId: number, files: string[]): Promise<DraftView> {
    const attachedAt = this.now();
    for (const file of files) await this.attach(draftId, path.basename(file), createReadStream(file), attachedAt);
    return this.view(draftId);
  }

  /** A file the page sent (browser host upload, drag and drop, paste). */
  async attachStream(draftId: number, name: string, source: NodeJS.ReadableStream): Promise<DraftView> {
    await this.attach(draftId, name, source, this.now());
    return this.view(draftId);
  }

  remove(draftId: number, fileId: number): DraftView {
    this.draft(draftId);
    this.deps.drafts.removeFile(draftId, fileId);
    return this.view(draftId);
  }

  removeInvalid(draftId: number): DraftView {
    this.draft(draftId);
    this.deps.drafts.removeInvalid(draftId);
    return this.view(draftId);
  }

  /** Checks everything again, hands the message to the outbox and empties the draft. */
  async send(draftId: number): Promise<{ messageId: number }> {
    const draft = this.draft(draftId);
    const files = this.deps.drafts.files(draftId);
    const check = checkMessage({ text: draft.text, files }, this.deps.rules);
    if (!check.canSend) throw new AppError('invalid_input', 'This message cannot be sent yet: see the hints beside its files.');
    for (const f of files) {
      if (!f.blobKey || !(await this.deps.blobs.has(f.blobKey))) {
        throw new AppError('invalid_input', `The file ${f.fileName} is no longer available; remove it and attach it again.`);
      }
    }
    const messageId = this.deps.outbox.enqueue({
      conversationId: draft.conversationId,
      subject: '',
      text: draft.text,
      bcc: [],
      // The order the operator sees, newest first, is for the list; the e-mail carries them as attached.
      attachments: files.map((f) => ({ blobKey: f.blobKey!, fileName: f.fileName, mediaType: f.mediaType ?? mediaTypeOf(f.fileName), size: f.size })),
      reply: true,
    });
    this.deps.drafts.clear(draftId, this.now());
    return { messageId };
  }

  view(draftId: number): DraftView {
    const draft = this.draft(draftId);
    const files = this.deps.drafts.files(draftId);
    const sorted = sortAttachments(files.map((f) => ({ ...f, seq: f.id })));
    return {
      id: draft.id,
      conversationId: draft.conversationId,
      text: draft.text,
      files: sorted.map(({ id, fileName, size, problem, attachedAt }) => ({ id, fileName, size, problem, attachedAt })),
      check: checkMessage({ text: draft.text, files }, this.deps.rules),
    };
  }

  private draft(id: number) {
    const draft = this.deps.drafts.get(id);
    if (!draft) throw new AppError('not_found', `There is no draft ${id}.`);
    return draft;
  }

  private async attach(draftId: number, rawName: string, source: NodeJS.ReadableStream, attachedAt: number): Promise<void> {
    this.draft(draftId);
    const fileName = safeFileName(rawName);
    let head = Buffer.alloc(0);
    let size = 0;
    const watch = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        size += chunk.length;
        done(null, chunk);
      },
    });
    let blobKey: string | null = null;
    let problem: FileProblem | null;
    // pipe() does not carry a read error forward; without this the blob write would wait forever.
    source.once('error', (error: Error) => watch.destroy(error));
    try {
      blobKey = (await this.deps.blobs.put(source.pipe(watch))).key;
      problem = checkFile({ name: fileName, size, sniffed: sniff(head) }, this.deps.rules);
    } catch (error) {
      problem = checkFile({ name: fileName, size, sniffed: null, readError: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, this.deps.rules);
    }
    this.deps.drafts.addFile(draftId, {
      fileName,
      mediaType: mediaTypeOf(fileName),
      size,
      blobKey: problem ? null : blobKey,
      problem,
      attachedAt,
    });
  }
}
