// An HTTPS server on 127.0.0.1 that stands in for every remote host a mail may name, and
// records every contact: each TCP connection (so even a TLS handshake that fails counts) and
// each request with its headers. Its certificate is made at start with `openssl` for 127.0.0.1;
// a process trusts it through NODE_EXTRA_CA_CERTS=certFile, a browser context through
// ignoreHTTPSErrors.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PNG } from './sample-files';
import { tempDir } from './temp-dir';

export interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface HttpsRecorder {
  origin: string;
  certFile: string;
  /** An agent that trusts this server, for in-process clients. */
  agent: Agent;
  hits: Hit[];
  connections: number;
  stop(): Promise<void>;
}

/** What a path answers: PNG bytes for *.png, a small page (that asks for no favicon) for anything else. */
export type Responder = (path: string) => { status: number; type?: string; body?: Buffer | string; headers?: Record<string, string> };

const defaultResponder: Responder = (p) =>
  p.endsWith('.png') ? { status: 200, type: 'image/png', body: PNG } : { status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><link rel="icon" href="data:,"><title>Landing</title><p>Landing page</p>' };

export async function startHttpsRecorder(respond: Responder = defaultResponder): Promise<HttpsRecorder> {
  const tmp = tempDir('postdesk-https-');
  const keyFile = path.join(tmp.dir, 'key.pem');
  const certFile = path.join(tmp.dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const cert = readFileSync(certFile);
  const hits: Hit[] = [];
  const recorder = { connections: 0 };
  const server = createServer({ key: readFileSync(keyFile), cert }, (req, res) => {
    hits.push({ path: req.url ?? '', headers: req.headers });
    const answer = respond(req.url ?? '');
    res.writeHead(answer.status, { ...(answer.type ? { 'Content-Type': answer.type } : {}), ...answer.headers });
    res.end(answer.body);
  });
  server.on('connection', () => recorder.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: cert });
  return {
    origin: `https://127.0.0.1:${port}`,
    certFile,
    agent,
    hits,
    get connections() {
      return recorder.connections;
    },
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      tmp.cleanup();
    },
  };
}
