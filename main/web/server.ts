// The browser host: the built renderer and the contract's handler table over HTTP, with events
// as a server-sent-event stream. Loopback only, one random token per run. It exists so the
// whole app runs (and is tested) in a real browser where no Electron binary is available.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY, HEADER_ONLY_CSP } from '../../common/csp';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { dispatch, type HandlerTable } from '../ipc/dispatch';
import { TokenGate } from './auth';
import { serveFile, type FileRouteDeps } from './file-routes';
import { serveStatic } from './static-files';

export interface WebHostOptions {
  table: HandlerTable;
  events: EventBus;
  files: FileRouteDeps;
  /** Takes a file the page uploads into a draft (the browser's file chooser, drag and drop, paste). */
  upload(draftId: number, fileName: string, body: IncomingMessage): Promise<unknown>;
  staticDir: string;
  port: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

// The largest input the contract takes (the text of a 20 MB CSV import) with room for JSON escaping.
const MAX_BODY = 24 * 1024 * 1024;
const API_PREFIX = '/api/';

const SECURITY_HEADERS = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; ${HEADER_ONLY_CSP}`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'This Postdesk page needs the link it printed at start.' } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  let port = 0;
  const gate = new TokenGate(() => port);
  const streams = new Set<ServerResponse>();

  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // A page on another site may resolve its own name to 127.0.0.1 (DNS rebinding): only our
    // own host names are served.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      sendJson(res, 421, { ok: false, error: { code: 'forbidden', message: 'Unexpected Host header.' } });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!gate.matches(url.searchParams.get('token'))) return unauthorized(res);
      // Move the token from the address bar into an HttpOnly cookie.
      res.writeHead(303, { Location: '/', 'Set-Cookie': gate.setCookieHeader(), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!gate.isAuthorized(req)) return unauthorized(res);

    if (url.pathname === `${API_PREFIX}events` && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const upload = /^\/upload\/draft\/(\d+)$/.exec(url.pathname);
    if (upload && req.method === 'POST') {
      // A custom header: a form on another site cannot send one, on top of the SameSite cookie.
      const name = req.headers['x-file-name'];
      if (typeof name !== 'string') return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'X-File-Name is missing.' } });
      try {
        const value = await options.upload(Number(upload[1]), decodeURIComponent(name), req);
        return sendJson(res, 200, { ok: true, value });
      } catch (error) {
        // The same data-not-stack-trace answer as every other call.
        if (error instanceof AppError) return sendJson(res, 200, { ok: false, error: { code: error.code, message: error.message } });
        throw error;
      }
    }
    if (url.pathname.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST.' } });
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? (JSON.parse(body) as { input?: unknown }).input : undefined;
      } catch (error) {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: (error as Error).message } });
      }
      const result = await dispatch(options.table, url.pathname.slice(API_PREFIX.length), input);
      return sendJson(res, 200, result);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/files/') && (await serveFile(options.files, url.pathname, res))) return;
    if (req.method === 'GET' && (await serveStatic(options.staticDir, url.pathname, res))) return;
    sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'Not found.' } });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[postdesk] browser host request failed:', error);
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
    url: `http://127.0.0.1:${port}/?token=${gate.token}`,
    port,
    token: gate.token,
    async close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
