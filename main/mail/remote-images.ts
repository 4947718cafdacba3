// Remote images of HTML mail, for the page, after the operator pressed Show images for that
// message. The page itself may load images only from our own origin (common/csp.ts has no
// remote host at all), so even a sanitizer bug cannot make it contact anyone; main fetches the
// image here instead, over https only, with no cookies and no Referer, and hands on only
// bytes that really are a raster image. Both hosts serve this: the browser host's
// /files/message/<id>/image/<url> and Electron's postdesk-file://message/<id>/image/<url>.
import { get, type Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { fileTypeFromBuffer } from 'file-type';
import { INLINE_IMAGE_TYPES } from '../../common/inline-types';
import { imageSource } from '../../common/mail-urls';
import { AppError } from '../errors';

export interface RemoteImage {
  mediaType: string;
  bytes: Buffer;
}

export interface RemoteImagesDeps {
  /** The stored HTML of a message (null: none, undefined: no such message). */
  htmlOf(messageId: number): string | null | undefined;
  /** Tests trust their own certificate through this; the app uses the system's. */
  agent?: Agent;
}

/** Far above a mail's pictures, far below what would hurt memory. */
export const MAX_REMOTE_IMAGE = 10 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 20_000;

/** `/<messageId>/image/<url, percent-encoded>`: the tail both hosts' image routes share. */
export function remoteImageRequest(tail: string): { messageId: number; url: string } | null {
  const match = /^\/(\d+)\/image\/([^/]+)$/.exec(tail);
  if (!match) return null;
  try {
    return { messageId: Number(match[1]), url: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}

export class RemoteImages {
  /** `${messageId} ${url}` of every image the operator allowed, for this run of Postdesk. */
  private readonly allowed = new Set<string>();

  constructor(private readonly deps: RemoteImagesDeps) {}

  /** Show images for one message: exactly the https images the page showed as blocked. */
  allow(messageId: number, urls: readonly string[]): void {
    if (!this.deps.htmlOf(messageId)) throw new AppError('not_found', `Message ${messageId} has no HTML with images.`);
    for (const url of urls) {
      const source = imageSource(url);
      if (source?.kind === 'remote' && source.secure) this.allowed.add(`${messageId} ${source.url}`);
    }
  }

  /**
   * One of that message's allowed images, or null: not allowed, or an answer that is not a PNG,
   * JPEG, GIF, WebP or BMP image.
   */
  async fetch(messageId: number, url: string): Promise<RemoteImage | null> {
    if (!this.allowed.has(`${messageId} ${url}`)) return null;
    let bytes: Buffer | null;
    try {
      bytes = await this.download(new URL(url), MAX_REDIRECTS);
    } catch {
      return null;
    }
    if (!bytes) return null;
    const type = await fileTypeFromBuffer(bytes);
    return type && INLINE_IMAGE_TYPES.has(type.mime) ? { mediaType: type.mime, bytes } : null;
  }

  private download(url: URL, redirects: number): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const request = get(url, { agent: this.deps.agent, headers: { Accept: 'image/*', 'User-Agent': 'Postdesk' }, timeout: TIMEOUT_MS }, (response) => {
        const location = response.headers.location;
        if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location && redirects > 0) {
          response.resume();
          const next = new URL(location, url);
          // A redirect must stay https: the page was promised nothing unencrypted.
          resolve(next.protocol === 'https:' ? this.download(next, redirects - 1) : null);
          return;
        }
        if (response.statusCode !== 200) {
          response.resume();
          resolve(null);
          return;
        }
        readCapped(response, MAX_REMOTE_IMAGE).then(resolve, reject);
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', reject);
    });
  }
}

async function readCapped(response: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(response.headers['content-length'] ?? 0) > limit) {
    response.destroy();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
