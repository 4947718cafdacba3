import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../common/csp';
import type { AttachmentCheck } from '../../preload/contract';
import { isInfected } from '../../common/attachment-policy';
import { infectedError } from '../files/attachment-export';
import type { BlobStore } from '../files/blob-store';
import { remoteImageRequest, type RemoteImages } from '../mail/remote-images';
import { INLINE_IMAGE_TYPES } from '../../common/inline-types';
import { contentTypeOf, resolveStaticFile } from '../web/static-files';

export const APP_SCHEME = 'postdesk';
/** Attachment images for the page: postdesk-file://attachment/<id>, never a path. */
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
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true } },
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
 * Serves attachment images by id from the blob store (postdesk-file://attachment/<id>) and a
 * message's consented remote images (postdesk-file://message/<id>/image/<url>); anything else
 * is not found. `lookup` gives the file as checked (main/files/incoming-checks.ts): an
 * infected one is refused.
 */
export function serveAttachmentImages(
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
    if (!attachment || !INLINE_IMAGE_TYPES.has(attachment.mediaType)) return new Response('Not found', { status: 404 });
    if (isInfected(attachment)) return new Response(infectedError(attachment).message, { status: 403 });
    return new Response(await readFile(blobs.pathOf(attachment.blobKey)), { headers: { 'Content-Type': attachment.mediaType } });
  });
}
