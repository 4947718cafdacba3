// Starts a private ClamAV daemon (Debian's clamav-daemon) for one test file: its own config,
// a signature database the test writes (one .hdb line per file: MD5, size, name), a free
// loopback port. No signature download is needed or possible here. ~4 s to start.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './ports';

export const CLAMD_BIN = '/usr/sbin/clamd';
const INSTALL_HINT = 'apt-get install -y clamav-daemon';
const READY_TIMEOUT_MS = 60_000;

export interface Clamd {
  /** "127.0.0.1:PORT", as the config's scan.clamd takes it. */
  address: string;
  port: number;
  stop(): Promise<void>;
}

export interface Signature {
  /** The exact bytes of the "infected" file: an .hdb entry matches the whole file by MD5 and size. */
  bytes: Buffer;
  name: string;
}

/** Starts clamd; `port` lets a test pick it before (to start clamd after Postdesk, as if it came back). */
export async function startClamd(signatures: Signature[], port?: number): Promise<Clamd> {
  await fs.access(CLAMD_BIN).catch(() => {
    throw new Error(`ClamAV's clamd is not installed (${CLAMD_BIN}); run: ${INSTALL_HINT}`);
  });
  const dir = await fs.mkdtemp('/tmp/clamd-');
  const db = path.join(dir, 'db');
  await fs.mkdir(db);
  await fs.writeFile(
    path.join(db, 'postdesk-test.hdb'),
    signatures.map((s) => `${createHash('md5').update(s.bytes).digest('hex')}:${s.bytes.length}:${s.name}\n`).join(''),
  );
  const tcpPort = port ?? (await freePort());
  const conf = path.join(dir, 'clamd.conf');
  // Nothing from /etc/clamav: the instance must not depend on (or disturb) a system clamd.
  await fs.writeFile(
    conf,
    [
      'Foreground yes',
      `DatabaseDirectory ${db}`,
      `TCPSocket ${tcpPort}`,
      'TCPAddr 127.0.0.1',
      `LogFile ${path.join(dir, 'clamd.log')}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      `TemporaryDirectory ${dir}`,
      // Above the default 25 MB, so the policy's 30 MB files fit in one INSTREAM.
      'StreamMaxLength 100M',
      '',
    ].join('\n'),
  );
  const child = spawn(CLAMD_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const stop = async () => {
    await kill(child);
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(tcpPort, child, () => stderr.join(''));
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: `127.0.0.1:${tcpPort}`, port: tcpPort, stop };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Ready once it answers PING with PONG (it listens only after loading the database). */
async function waitForPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`clamd exited during startup:\n${output()}`);
    if ((await ping(port)) === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`clamd did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

function ping(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('zPING\0'));
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('close', () => resolve(reply.replace(/\0/g, '').trim() || null));
    socket.on('error', () => undefined);
  });
}
