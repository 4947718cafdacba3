import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readyToSend } from './ready-stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker keeps its .mjs name through the build; a worker script must be served as JavaScript.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** The file a URL path names inside the built renderer, or null for anything that escapes it. */
export function resolveStaticFile(root: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  if (relative.includes('\\') || relative.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/** Serves a file of the built renderer; anything resolving outside its folder, or not a readable file, is not found. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  const file = resolveStaticFile(root, urlPath);
  if (!file) return false;
  const stream = createReadStream(file);
  if (!(await readyToSend(stream))) return false;
  res.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
  });
  await pipeline(stream, res);
  return true;
}
