// A Word document (.docx) as read-only HTML for the viewer. A .docx is a ZIP, and mammoth
// (through JSZip) would unpack whatever it names into memory, so it is never given the client's
// archive: zip-parts.ts reads only the parts mammoth uses (XML and pictures), within limits, and
// they go to mammoth as a fresh archive of stored entries, in a worker thread whose heap has a
// ceiling (docx-worker.mjs): the XML's size alone does not bound mammoth's memory, 2 MB of empty
// paragraphs take 650 MB as a DOM. A document past any limit is refused whole, and can still be
// downloaded. The HTML is sanitized by the page like mail (renderer/sanitize.ts).
import { buffer } from 'node:stream/consumers';
import { Worker } from 'node:worker_threads';
import { ZipArchive } from 'archiver';
import { previewKind } from '../../common/attachment-display';
import { isInfected } from '../../common/attachment-policy';
import type { DocumentPreview } from '../../common/document-preview';
import { DATA_IMAGE_URL } from '../../common/mail-urls';
import { AppError } from '../errors';
import type { AttachmentsRepo } from '../store/attachments-repo';
import { infectedError } from './attachment-export';
import type { BlobStore } from './blob-store';
import type { IncomingChecks } from './incoming-checks';
import { readZipParts, ZipTooLarge } from './zip-parts';

const MB = 1024 * 1024;

export interface DocxLimits {
  /** The .docx file itself. */
  fileBytes: number;
  /** Entries in its ZIP directory. */
  entries: number;
  /** The XML parts, unpacked. */
  xmlBytes: number;
  /** The pictures, unpacked. */
  pictureBytes: number;
  /** The pictures as data: URLs in the HTML, each copy counted; pictures past it are left out. */
  pictureChars: number;
  /** The whole HTML produced. */
  htmlChars: number;
  /** The converting worker's heap (V8's old generation): past it the worker is stopped. */
  heapMb: number;
  /** How long the conversion may take before the worker is stopped. */
  timeoutMs: number;
}

/**
 * A long contract with photos fits (17,000 paragraphs of text, 4 MB of XML, convert within this
 * heap); what does not is downloaded and opened in Word.
 */
export const DOCX_LIMITS: DocxLimits = {
  fileBytes: 20 * MB,
  entries: 5000,
  xmlBytes: 8 * MB,
  pictureBytes: 24 * MB,
  pictureChars: 32 * MB,
  htmlChars: 40 * MB,
  heapMb: 256,
  timeoutMs: 60_000,
};

/** Pictures a page can show as data: URLs (common/mail-urls.ts decides; EMF, WMF, TIFF and SVG are not among them). */
const PICTURE_EXTENSIONS = /\.(?:png|jpe?g|gif|webp|bmp)$/i;

function partBudget(name: string): 'xml' | 'pictures' | null {
  if (/\.(?:xml|rels)$/i.test(name)) return 'xml';
  return PICTURE_EXTENSIONS.test(name) ? 'pictures' : null;
}

/** The parts again as a ZIP of stored entries: what JSZip then reads is only what was checked. */
async function storedZip(parts: Map<string, Buffer>): Promise<Buffer> {
  const archive = new ZipArchive({ store: true });
  const out = buffer(archive);
  for (const [name, bytes] of parts) archive.append(bytes, { name });
  await archive.finalize();
  return out;
}

type WorkerAnswer = { html: string; picturesLeftOut: number } | { failed: string };

/** mammoth's answer from its worker; 'too_large' when the worker ran out of heap or time. */
function convertInWorker(zip: Buffer, limits: DocxLimits): Promise<WorkerAnswer | 'too_large'> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./docx-worker.mjs', import.meta.url), {
      workerData: { zip, pictureChars: limits.pictureChars, pictureUrl: { source: DATA_IMAGE_URL.source, flags: DATA_IMAGE_URL.flags } },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
      // Not the process's flags (a loader, an inspector port): the worker needs none.
      execArgv: [],
    });
    let answer: WorkerAnswer | 'too_large' = { failed: 'the converter stopped without an answer' };
    const timer = setTimeout(() => {
      answer = 'too_large';
      void worker.terminate();
    }, limits.timeoutMs);
    worker.once('message', (message: WorkerAnswer) => (answer = message));
    worker.once('error', (error: NodeJS.ErrnoException) => {
      answer = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too_large' : { failed: error.message };
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** The document's HTML, or why there is none. */
export async function docxToHtml(docx: Buffer, limits: DocxLimits = DOCX_LIMITS): Promise<DocumentPreview> {
  if (docx.length > limits.fileBytes) return { status: 'too_large' };
  let parts: Map<string, Buffer>;
  try {
    parts = await readZipParts(docx, partBudget, { entries: limits.entries, bytes: { xml: limits.xmlBytes, pictures: limits.pictureBytes } });
  } catch (error) {
    return { status: error instanceof ZipTooLarge ? 'too_large' : 'unreadable' };
  }
  const answer = await convertInWorker(await storedZip(parts), limits);
  if (answer === 'too_large') return { status: 'too_large' };
  if ('failed' in answer) return { status: 'unreadable' };
  if (answer.html.length > limits.htmlChars) return { status: 'too_large' };
  return { status: 'html', html: answer.html, picturesLeftOut: answer.picturesLeftOut };
}

export interface DocxPreviewsDeps {
  attachments: Pick<AttachmentsRepo, 'get'>;
  blobs: Pick<BlobStore, 'open'>;
  /** A received file is checked before it is shown, as before it is served; an infected one never is. */
  checks: Pick<IncomingChecks, 'ensure'>;
  limits?: DocxLimits;
}

/** attachments.preview: an attachment's Word document as HTML, for the viewer. */
export class DocxPreviews {
  constructor(private readonly deps: DocxPreviewsDeps) {}

  async preview(attachmentId: number): Promise<DocumentPreview> {
    const found = this.deps.attachments.get(attachmentId);
    if (!found) throw new AppError('not_found', `There is no attachment ${attachmentId}.`);
    // Showing a file rescans nothing (as the image route does); saving it does.
    const attachment = (await this.deps.checks.ensure([found], { rescan: false }))[0]!;
    if (isInfected(attachment)) throw infectedError(attachment);
    if (previewKind(attachment) !== 'docx') throw new AppError('invalid_input', `${attachment.fileName} is not a Word document (.docx).`);
    const limits = this.deps.limits ?? DOCX_LIMITS;
    // Its size is known before a byte is read.
    if (attachment.size > limits.fileBytes) return { status: 'too_large' };
    return docxToHtml(await buffer(this.deps.blobs.open(attachment.blobKey)), limits);
  }
}
