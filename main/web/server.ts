// The browser host: the built renderer and the contract's handler table over HTTP, with events
// as a server-sent-event stream. Loopback only; a page is let in by a one-time link, and every
// request that does or reveals something must come from that page (see provenance.ts). It
// exists so the whole app runs (and is tested) in a real browser where no Electron binary is.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY, HEADER_ONLY_CSP } from '../../common/csp';
import { translator } from '../../common/i18n';
import { formatSize } from '../../common/size';
import type { Lang } from '../../common/lang';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { dispatch, type HandlerTable } from '../ipc/dispatch';
import { stderrLogger, type Logger } from '../log/logger';
import { SessionGate } from './auth';
import { serveFile, type FileRouteDeps } from './file-routes';
import { redirectPage } from './redirect-page';
import { doorOf, foreignRequest } from './provenance';
import { declaredLength, MAX_FILE_NAME_LENGTH, parseFileNameHeader, readBody } from './request-input';
import { serveStatic } from './static-files';

export interface WebHostOptions {
  table: HandlerTable;
  events: EventBus;
  files: FileRouteDeps;
  /** Takes a file the page uploads into a draft (the browser's file chooser, drag and drop, paste). */
  upload(draftId: number, fileName: string, body: IncomingMessage): Promise<unknown>;
  /** Lists a file over the per-file limit in the draft by its name and declared size, its bytes unread. */
  oversized(draftId: number, fileName: string, size: number): unknown;
  /** The config's per-file limit: a larger upload is refused before a byte of it is read. */
  maxUploadBytes: number;
  /** The operator's language, for the refusals the page shows. */
  lang: Lang;
  staticDir: string;
  port: number;
  /** Where failed requests are recorded (the services' log file); stderr when absent. */
  log?: Logger;
}

/** An address that opens the page in one browser, once. */
export interface HostLink {
  url: string;
  /** Settles when a browser has used it. */
  used: Promise<void>;
}

export interface WebHost {
  port: number;
  /** A one-time link for one more browser (each link printed or opened is one of these). */
  newLink(): HostLink;
  close(): Promise<void>;
}

// The largest input the contract takes (the text of a 20 MB CSV import) with room for JSON escaping.
const MAX_JSON_BODY = 24 * 1024 * 1024;
const API_PREFIX = '/api/';

const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; ${HEADER_ONLY_CSP}`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** How long a client still sending a refused body gets to read the answer before the host hangs up. */
const HANG_UP_AFTER_MS = 3000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
  const req = res.req;
  if (req.complete) return;
  // Answered before the body was read (refused, too large): the rest is never read. read(0)
  // marks the body as taken, so Node does not read it away in the background; the socket is
  // not closed at once either, since a reset could destroy the answer before the client reads it.
  req.read(0);
  res.once('finish', () => setTimeout(() => req.socket.destroy(), HANG_UP_AFTER_MS).unref());
}

function refuse(res: ServerResponse, status: number, code: 'forbidden' | 'invalid_input', message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

const FILE_NAME_PROBLEMS = {
  missing: 'X-File-Name is missing.',
  encoding: 'X-File-Name must be the file name percent-encoded as UTF-8.',
  empty: 'X-File-Name is empty.',
  too_long: `X-File-Name is longer than ${MAX_FILE_NAME_LENGTH} characters.`,
} as const;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  let port = 0;
  const gate = new SessionGate(() => port);
  const t = translator(options.lang);
  const streams = new Set<ServerResponse>();

  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  function newLink(): HostLink {
    const link = gate.mint();
    return { url: `http://127.0.0.1:${port}/?token=${link.code}`, used: link.used };
  }

  async function upload(draftId: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = parseFileNameHeader(req.headers['x-file-name']);
    if (!name.ok) {
      const message = name.problem === 'control' ? t('upload.controlCharacters') : FILE_NAME_PROBLEMS[name.problem];
      return refuse(res, 400, 'invalid_input', message);
    }
    // The page sends a File, whose length is always declared; without one the limit could only
    // be found by reading, and a refused file must cost nothing.
    const length = declaredLength(req);
    if (length === null) return refuse(res, 411, 'invalid_input', 'An upload must declare its Content-Length.');
    try {
      // 413: the bytes are refused before one is read; the answer is the draft, which now lists
      // the file with its hint, the same as any file that breaks a rule.
      if (length > options.maxUploadBytes) return sendJson(res, 413, { ok: true, value: options.oversized(draftId, name.name, length) });
      const value = await options.upload(draftId, name.name, req);
      return sendJson(res, 200, { ok: true, value });
    } catch (error) {
      // The same data-not-stack-trace answer as every other call.
      if (error instanceof AppError) return sendJson(res, 200, { ok: false, error: { code: error.code, message: error.message } });
      throw error;
    }
  }

  async function call(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'invalid_input', 'Use POST.');
    const body = await readBody(req, MAX_JSON_BODY);
    if (body === null) return refuse(res, 413, 'invalid_input', t('request.tooLarge', { limit: formatSize(MAX_JSON_BODY, options.lang) }));
    let input: unknown;
    try {
      const parsed: unknown = body ? JSON.parse(body) : {};
      if (typeof parsed !== 'object' || parsed === null) throw new Error('the body must be a JSON object {"input": …}');
      input = (parsed as { input?: unknown }).input;
    } catch (error) {
      return refuse(res, 400, 'invalid_input', (error as Error).message);
    }
    sendJson(res, 200, await dispatch(options.table, name, input, (failed, error) => (options.log ?? stderrLogger).error(`${failed} failed`, error)));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // A page on another site may resolve its own name to 127.0.0.1 (DNS rebinding): only our
    // own host names are served.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return refuse(res, 421, 'forbidden', 'Unexpected Host header.');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!gate.redeem(url.searchParams.get('token'))) return refuse(res, 401, 'forbidden', t('error.forbidden'));
      // The code is spent; from now on this browser holds the session in an HttpOnly cookie.
      // Not a 303: when the link came from a launch file (or another site), the browser would
      // withhold the new SameSite=Strict cookie on the redirected load of the page.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': gate.setCookieHeader(), 'Cache-Control': 'no-store' });
      res.end(redirectPage('/'));
      return;
    }
    const door = doorOf(url.pathname);
    const foreign = door && foreignRequest(req, `http://${host}`, door);
    if (foreign) return refuse(res, 403, 'forbidden', `Refused: this request does not come from Postdesk's own page (${foreign}).`);
    if (!gate.isAuthorized(req)) return refuse(res, 401, 'forbidden', t('error.forbidden'));

    if (door === 'events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const uploadPath = /^\/upload\/draft\/(\d+)$/.exec(url.pathname);
    if (uploadPath && req.method === 'POST') return upload(Number(uploadPath[1]), req, res);
    if (door === 'api') return call(url.pathname.slice(API_PREFIX.length), req, res);
    if (req.method === 'GET' && door === 'files' && (await serveFile(options.files, url.pathname, res))) return;
    if (req.method === 'GET' && (await serveStatic(options.staticDir, url.pathname, res))) return;
    sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'Not found.' } });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      (options.log ?? stderrLogger).error('browser host request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
      else res.destroy();
    });
  });
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 25_000);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    newLink,
    async close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
