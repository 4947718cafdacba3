// Does a request come from our own page? The session cookie alone cannot tell: cookies ignore
// ports, so a page on any other port of 127.0.0.1 opened in the same browser sends it too
// (SameSite counts ports as the same site). What the browser adds and a page cannot forge
// decides instead: the fetch metadata (Sec-Fetch-Site), the Origin, and for API calls a JSON
// content type plus a custom header, which no form, beacon or no-cors fetch can send and which
// a cross-origin fetch may send only after a preflight we refuse.
import type { IncomingMessage } from 'node:http';

/** The routes that do or reveal something, each with the callers it expects. */
export type Door = 'api' | 'events' | 'upload' | 'files';

const API_HEADER = 'x-postdesk';

export function doorOf(pathname: string): Door | null {
  if (pathname === '/api/events') return 'events';
  if (pathname.startsWith('/api/')) return 'api';
  if (pathname.startsWith('/upload/')) return 'upload';
  if (pathname.startsWith('/files/')) return 'files';
  return null;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Why the request is not our page's, or null when it is. `/files/*` also takes `none`: a
 * download the operator starts again from the browser's list, or a file URL pasted into the
 * address bar. Only the operator's own hand makes a request `none` (no page can), and those
 * routes only read, so nothing can be made to happen that way.
 */
export function foreignRequest(req: IncomingMessage, ownOrigin: string, door: Door): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && !(door === 'files' && site === 'none')) return `Sec-Fetch-Site is "${site}"`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return `Origin "${origin}" is not ${ownOrigin}`;
  if (door === 'api') {
    if (req.method === 'OPTIONS') return 'no other origin may call the API';
    if (mediaType(req.headers['content-type']) !== 'application/json') return 'Content-Type is not application/json';
    if (req.headers[API_HEADER] !== '1') return 'the X-Postdesk header is missing';
  }
  return null;
}
