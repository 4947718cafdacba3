// Attachment bytes for the browser host's page: images inline (thumbnails, the viewer), any
// file as a download under its own (made safe) name, a message's files as one ZIP, and the
// original .eml. Each route takes an opaque id; the id maps to a blob under the data root.
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AttachmentExport } from '../files/attachment-export';
import { isInfected } from '../../common/attachment-policy';
import { infectedError } from '../files/attachment-export';
import type { IncomingChecks } from '../files/incoming-checks';
import type { BlobStore } from '../files/blob-store';
import { INLINE_IMAGE_TYPES } from '../../common/inline-types';
import { attachmentFileName, originalFileName, zipFileNameFor } from '../files/download-names';
import { readyToSend } from './ready-stream';
import type { AttachmentsRepo } from '../store/attachments-repo';
import type { MessagesRepo } from '../store/messages-repo';
import { remoteImageRequest, type RemoteImages } from '../mail/remote-images';

export interface FileRouteDeps {
  exporter: AttachmentExport;
  attachments: AttachmentsRepo;
  messages: MessagesRepo;
  blobs: BlobStore;
  remoteImages: RemoteImages;
  /** Received files are checked before they are served; an infected one never is. */
  checks: Pick<IncomingChecks, 'ensure'>;
  clientNameOf(conversationId: number): string;
}

/** RFC 6266 with an ASCII fallback, so every browser saves under the real (UTF-8) name. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}

function blocked(res: ServerResponse, attachment: Parameters<typeof infectedError>[0]): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(infectedError(attachment).message);
}

/** Serves a /files/… request; false when the path is not one of these routes. */
export async function serveFile(deps: FileRouteDeps, pathname: string, res: ServerResponse): Promise<boolean> {
  const single = /^\/files\/(\d+)(\/download)?$/.exec(pathname);
  if (single) {
    const found = deps.attachments.get(Number(single[1]));
    if (!found) return notFound(res), true;
    // The page asked main to save it first (which scanned again what was not scanned); showing it inline rescans nothing.
    const attachment = (await deps.checks.ensure([found], { rescan: false }))[0]!;
    if (isInfected(attachment)) return blocked(res, attachment), true;
    const download = single[2] !== undefined || !INLINE_IMAGE_TYPES.has(attachment.mediaType);
    const bytes = deps.blobs.open(attachment.blobKey);
    if (!(await readyToSend(bytes))) return notFound(res), true;
    res.writeHead(200, {
      'Content-Type': download ? 'application/octet-stream' : attachment.mediaType,
      'Content-Length': String(attachment.size),
      'Content-Disposition': contentDisposition(download ? 'attachment' : 'inline', attachmentFileName(attachment.fileName)),
      'Cache-Control': 'private, max-age=3600',
    });
    await pipeline(bytes, res);
    return true;
  }
  const remote = pathname.startsWith('/files/message/') ? remoteImageRequest(pathname.slice('/files/message'.length)) : null;
  if (remote) {
    const image = await deps.remoteImages.fetch(remote.messageId, remote.url);
    if (!image) return notFound(res), true;
    res.writeHead(200, { 'Content-Type': image.mediaType, 'Content-Length': String(image.bytes.length), 'Cache-Control': 'private, max-age=3600' });
    res.end(image.bytes);
    return true;
  }
  const whole = /^\/files\/message\/(\d+)\/(zip|original)$/.exec(pathname);
  if (!whole) return false;
  const messageId = Number(whole[1]);
  const message = deps.messages.get(messageId);
  if (!message) return notFound(res), true;
  const files = await deps.checks.ensure(deps.attachments.listForMessage(messageId));
  // The original holds every file encoded; a ZIP leaves the infected ones out (and is refused when nothing else is left).
  const infected = files.find(isInfected);
  if (infected && (whole[2] === 'original' || files.every((a) => a.inline || isInfected(a)))) return blocked(res, infected), true;
  if (whole[2] === 'original') {
    const key = deps.messages.rawBlobKey(messageId);
    if (!key) return notFound(res), true;
    const bytes = deps.blobs.open(key);
    if (!(await readyToSend(bytes))) return notFound(res), true;
    res.writeHead(200, {
      'Content-Type': 'message/rfc822',
      'Content-Disposition': contentDisposition('attachment', originalFileName(message)),
    });
    await pipeline(bytes, res);
    return true;
  }
  // Headers go out only when there is something to zip: an error after them could not be reported.
  if (!files.some((a) => !a.inline)) return notFound(res), true;
  const name = zipFileNameFor(message, (id) => deps.clientNameOf(id));
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': contentDisposition('attachment', name) });
  await deps.exporter.saveZip(messageId, res);
  return true;
}
