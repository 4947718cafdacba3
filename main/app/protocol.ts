import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../common/csp';
import type { AttachmentCheck } from '../../common/domain/attachment';
import { isInfected } from '../../common/attachment-policy';
import { infectedError } from '../files/attachment-export';
import type { BlobStore } from '../files/blob-store';
import { remoteImageRequest, type RemoteImages } from '../mail/remote-images';
import { INLINE_IMAGE_TYPES } from '../../common/inline-types';
import { previewKind } from '../../common/attachment-display';
import { contentTypeOf, resolveStaticFile } from '../web/static-files';

export const APP_SCHEME = 'postdesk';
/** Attachment images and PDFs for the page: postdesk-file://attachment/<id>, never a path. */
export const FILE_SCHEME = 'postdesk-file';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Compared by scheme and host: outside Chromium, a custom scheme's URL has no origin. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/** Must run before the app is ready: the renderer's origin is a secure, standard scheme of our own. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // fetch and CORS: the PDF viewer reads a PDF's bytes with fetch() from postdesk://app, another origin.
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** Serves the built renderer from disk with our CSP; nothing outside its folder. */
export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'app' ? resolveStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file), {
        headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/**
 * Serves by id from the blob store what the page shows of attachments
 * (postdesk-file://attachment/<id>): images, and PDFs for pdf.js to read (as bytes only the app's
 * own origin may fetch, never a document of their own); and a message's consented remote images
 * (postdesk-file://message/<id>/image/<url>). Anything else is not found. `lookup` gives the file
 * as checked (main/files/incoming-checks.ts): an infected one is refused.
 */
export function serveAttachmentFiles(
  protocol: Protocol,
  lookup: (id: number) => Promise<{ fileName: string; mediaType: string; blobKey: string; check: AttachmentCheck | null } | undefined>,
  blobs: BlobStore,
  remoteImages: RemoteImages,
): void {
  protocol.handle(FILE_SCHEME, async (request) => {
    const url = new URL(request.url);
    const remote = url.host === 'message' ? remoteImageRequest(url.pathname) : null;
    if (remote) {
      const image = await remoteImages.fetch(remote.messageId, remote.url);
      if (!image) return new Response('Not found', { status: 404 });
      return new Response(new Uint8Array(image.bytes), { headers: { 'Content-Type': image.mediaType } });
    }
    const match = url.host === 'attachment' ? /^\/(\d+)$/.exec(url.pathname) : null;
    const attachment = match ? await lookup(Number(match[1])) : undefined;
    const image = attachment !== undefined && INLINE_IMAGE_TYPES.has(attachment.mediaType);
    const pdf = attachment !== undefined && previewKind(attachment) === 'pdf';
    if (!attachment || (!image && !pdf)) return new Response('Not found', { status: 404 });
    const readBy = pdf ? { 'Access-Control-Allow-Origin': APP_ORIGIN } : undefined;
    if (isInfected(attachment)) return new Response(infectedError(attachment).message, { status: 403, headers: readBy });
    const bytes = await buffer(blobs.open(attachment.blobKey));
    return new Response(bytes, { headers: { 'Content-Type': image ? attachment.mediaType : 'application/octet-stream', ...readBy } });
  });
}
