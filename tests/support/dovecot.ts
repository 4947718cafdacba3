import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { freePorts } from './ports.js';

const run = promisify(execFile);

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: '127.0.0.1';
  imapPort: number;
  lmtpPort: number;
  /** The users it was started with: the only recipients it takes mail for. */
  users: readonly string[];
  /** Instance directory: config, sockets, log (`dovecot.log`) and mail (`mail/DOMAIN/USER/Maildir`). */
  dir: string;
  /** Runs `doveadm` against this instance (e.g. `kick USER`, `mailbox update --uid-validity N -u USER INBOX`). */
  doveadm(...args: string[]): Promise<string>;
  /**
   * Stores `raw` in the user's INBOX as it is (`doveadm save`): unlike LMTP no trace fields are
   * added, so an empty message stays empty. Dovecot itself drops NUL bytes.
   */
  save(user: string, raw: Buffer): Promise<void>;
  /** Stops the server and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Where an LMTP delivery goes; a `Dovecot` handle fits. */
export interface LmtpTarget {
  host: string;
  lmtpPort: number;
  /**
   * The mailboxes behind it, when known: an SMTP server that delivers here refuses any other
   * recipient at RCPT time, as a real one does (tests/support/smtp.ts).
   */
  users?: readonly string[];
}

const HOST = '127.0.0.1';
const INSTALL_HINT = 'apt-get install -y dovecot-imapd dovecot-lmtpd';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
// Mail processes refuse to run as root, so mail belongs to nobody:nogroup (65534 on Debian);
// numeric so the userdb and the chown of the mail dir cannot disagree.
const MAIL_UID = 65534;
const MAIL_GID = 65534;

/** Master pids of instances still running, so a crashed test run does not leave daemons behind. */
const liveMasters = new Set<number>();
let exitHookInstalled = false;

/**
 * Starts a private Dovecot (IMAP + LMTP) on free loopback ports. Every call gets its own
 * directory, config and ports, so parallel test files do not share mailboxes.
 * Resolves only once a real IMAP LOGIN as the first user succeeds.
 */
export async function startDovecot(opts: {
  users: DovecotUser[];
  /**
   * IMAP connections one user may hold from one IP (Dovecot's default is 10). A desk holds three
   * per channel (INBOX, Sent, the desks' folder), and the team's tests run several desks from one address.
   */
  maxUserConnections?: number;
  /** Leave CONDSTORE (and QRESYNC, which needs it) out of what the server offers, as some servers do. */
  withoutCondstore?: boolean;
}): Promise<Dovecot> {
  const firstUser = opts.users[0];
  if (!firstUser) throw new Error('startDovecot: at least one user is needed (it is used to probe readiness)');
  for (const { user, password } of opts.users) {
    // passwd-file is colon separated and line based; anything else would silently corrupt it.
    if (/[:\s]/.test(user) || /[:\r\n]/.test(password)) {
      throw new Error(`startDovecot: user ${JSON.stringify(user)} or its password has characters passwd-file cannot hold`);
    }
  }

  const dovecotBin = await findBinary('dovecot');
  const doveadmBin = await findBinary('doveadm');
  if (!dovecotBin || !doveadmBin) {
    throw new Error(`Dovecot is not installed (dovecot/doveadm not found); run: ${INSTALL_HINT}`);
  }
  if (process.getuid?.() !== 0) {
    // The config below relies on root to switch to nobody/dovenull/dovecot users.
    throw new Error('startDovecot: the test Dovecot must be started as root');
  }

  // Short path on purpose: unix sockets live under base_dir and are limited to ~108 bytes.
  const dir = await fs.mkdtemp('/tmp/dc');
  // mkdtemp creates 0700; login/auth processes run as other users and must traverse it.
  await fs.chmod(dir, 0o755);
  const conf = path.join(dir, 'dovecot.conf');
  const logPath = path.join(dir, 'dovecot.log');
  const mailDir = path.join(dir, 'mail');
  const removeDir = (): Promise<void> => fs.rm(dir, { recursive: true, force: true });

  let master: Master | undefined;
  try {
    await fs.mkdir(path.join(dir, 'run'));
    await fs.mkdir(path.join(dir, 'state'));
    await fs.mkdir(mailDir);
    await fs.chown(mailDir, MAIL_UID, MAIL_GID);
    const passwdFile = path.join(dir, 'users');
    await fs.writeFile(passwdFile, opts.users.map((u) => `${u.user}:{PLAIN}${u.password}\n`).join(''), {
      mode: 0o644,
    });

    const [imapPort, lmtpPort] = (await freePorts(2)) as [number, number];
    await fs.writeFile(conf, renderConfig({ dir, logPath, mailDir, passwdFile, imapPort, lmtpPort, maxUserConnections: opts.maxUserConnections ?? 10, withoutCondstore: opts.withoutCondstore ?? false }));

    master = await launch(dovecotBin, conf, path.join(dir, 'startup.log'), logPath);
    await waitForImapLogin({ port: imapPort, user: firstUser, master });

    let stopping: Promise<void> | undefined;
    const running = master;
    return {
      host: HOST,
      imapPort,
      lmtpPort,
      users: opts.users.map((u) => u.user),
      dir,
      doveadm: async (...args) => (await run(doveadmBin, ['-c', conf, ...args])).stdout,
      save: (user, raw) => saveRaw(doveadmBin, conf, user, raw),
      stop: () => (stopping ??= stopInstance(doveadmBin, conf, running).finally(removeDir)),
    };
  } catch (err) {
    if (master) await stopInstance(doveadmBin, conf, master).catch(() => undefined);
    await removeDir();
    throw err;
  }
}

/**
 * Delivers a raw RFC 5322 message into the INBOX of `to` over LMTP, bypassing SMTP,
 * so tests can seed mailboxes with exact bytes.
 */
export async function deliverLmtp(
  target: LmtpTarget,
  to: string | string[],
  raw: Buffer | string,
  from = 'sender@example.test',
): Promise<void> {
  const transport = createTransport({ lmtp: true, host: target.host, port: target.lmtpPort, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from, to }, raw });
    // LMTP answers per recipient; nodemailer only throws when every recipient was refused.
    if (info.rejected.length > 0) {
      throw new Error(`LMTP refused ${info.rejected.map(String).join(', ')}: ${JSON.stringify(info.rejectedErrors ?? info.response)}`);
    }
  } finally {
    transport.close();
  }
}

function saveRaw(doveadmBin: string, conf: string, user: string, raw: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(doveadmBin, ['-c', conf, 'save', '-u', user, '-m', 'INBOX'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`doveadm save exited with ${code}: ${stderr.trim()}`))));
    child.stdin.end(raw);
  });
}

interface ConfigParams {
  dir: string;
  logPath: string;
  mailDir: string;
  passwdFile: string;
  imapPort: number;
  lmtpPort: number;
  maxUserConnections: number;
  withoutCondstore: boolean;
}

/** Dovecot 2.3's own list, less CONDSTORE and QRESYNC (imap_capability replaces the list whole). */
const CAPABILITIES_WITHOUT_CONDSTORE =
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT ' +
  'MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH ESORT SEARCHRES ' +
  'WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY';

function renderConfig(p: ConfigParams): string {
  // Nothing from /etc/dovecot is included: the instance must not depend on the system config.
  return `
base_dir = ${p.dir}/run
state_dir = ${p.dir}/state
log_path = ${p.logPath}
protocols = imap lmtp
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong-password tests would otherwise wait 2 s per failure, growing to 15 s through the
# per-IP penalty that anvil tracks; an unreachable penalty socket turns that tracking off.
auth_failure_delay = 0
mail_location = maildir:~/Maildir

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${p.passwdFile}
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${p.mailDir}/%d/%n
}

service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${p.imapPort}
  }
  # The default imaps listener would try to bind 993 and collide with other instances.
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = ${HOST}
    port = ${p.lmtpPort}
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
protocol imap {
  mail_max_userip_connections = ${p.maxUserConnections}
${p.withoutCondstore ? `  imap_capability = ${CAPABILITIES_WITHOUT_CONDSTORE}\n` : ''}}
`;
}

interface Master {
  pid: number;
  exited: Promise<void>;
  hasExited(): boolean;
  /** Startup output plus the instance log, for error messages. */
  diagnostics(): Promise<string>;
}

/**
 * Runs `dovecot -F -c CONF`. Foreground mode keeps the master our child, so Node reaps it the
 * moment it exits; a daemonized master is reparented to PID 1, which in containers may reap
 * late or never, leaving a zombie that `doveadm stop` (polling kill(pid, 0)) waits 3 s on and
 * that `pgrep dovecot` still reports.
 */
async function launch(bin: string, conf: string, stderrPath: string, logPath: string): Promise<Master> {
  // A file rather than a pipe: nothing has to drain it, and it survives for the error message.
  const stderr = await fs.open(stderrPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(bin, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', stderr.fd] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } finally {
    await stderr.close();
  }
  // A test that forgets stop() must not keep the worker alive; the exit hook still kills it.
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('dovecot was spawned without a pid');

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      liveMasters.delete(pid);
      resolve();
    });
  });
  trackMaster(pid);

  return {
    pid,
    exited: exitedPromise,
    hasExited: () => exited,
    diagnostics: async () => {
      const output = await fs.readFile(stderrPath, 'utf8').catch(() => '');
      return (output.trim() ? `\n--- dovecot stderr ---\n${output.trim()}` : '') + (await logTail(logPath));
    },
  };
}

function trackMaster(pid: number): void {
  liveMasters.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible in 'exit'; SIGTERM makes the master shut its children down.
  process.once('exit', () => {
    for (const p of liveMasters) signal(p, 'SIGTERM');
  });
}

async function waitForImapLogin(a: { port: number; user: DovecotUser; master: Master }): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (a.master.hasExited()) {
      throw new Error(`dovecot exited during startup${await a.master.diagnostics()}`);
    }
    const client = new ImapFlow({
      host: HOST,
      port: a.port,
      secure: false,
      auth: { user: a.user.user, pass: a.user.password },
      logger: false,
      // Keep single attempts short so the overall deadline is what bounds the wait.
      connectionTimeout: 2_000,
      greetingTimeout: 2_000,
    });
    // Without a listener a socket error event would crash the test process.
    client.on('error', (err: unknown) => {
      lastError = err;
    });
    try {
      await client.connect();
      await client.logout();
      return;
    } catch (err) {
      lastError = err;
      client.close();
      // Dovecot answered, so it is up and the passdb is wrong; retrying cannot fix that.
      if (isAuthFailure(err)) break;
    }
    await sleep(100);
  }
  throw new Error(
    `dovecot did not accept an IMAP LOGIN as ${a.user.user}: ${errorText(lastError)}${await a.master.diagnostics()}`,
  );
}

async function stopInstance(doveadmBin: string, conf: string, master: Master): Promise<void> {
  if (master.hasExited()) return;
  try {
    await run(doveadmBin, ['-c', conf, 'stop']);
  } catch {
    // doveadm fails if master.pid is missing or stale; signalling directly has the same effect.
    signal(master.pid, 'SIGTERM');
  }
  // Cleared afterwards: a pending timer would hold the test worker open for the full timeout.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([master.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (!master.hasExited()) {
    signal(master.pid, 'SIGKILL');
    await master.exited;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function findBinary(name: string): Promise<string | undefined> {
  // sbin is often missing from PATH for non-login shells, but that is where dovecot lives.
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const candidate = path.join(d, name);
    try {
      await fs.access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here, keep looking
    }
  }
  return undefined;
}

async function logTail(logPath: string, lines = 40): Promise<string> {
  try {
    const text = await fs.readFile(logPath, 'utf8');
    const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
    return tail ? `\n--- ${logPath} (tail) ---\n${tail}` : '';
  } catch {
    return '';
  }
}

/** A definite "wrong credentials", not a transient [UNAVAILABLE] while auth is still starting. */
function isAuthFailure(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'serverResponseCode' in err && err.serverResponseCode === 'AUTHENTICATIONFAILED'
  );
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // imapflow's message is a generic "Command failed"; the server's reply is the useful part.
  const response = 'response' in err && typeof err.response === 'string' ? ` (${err.response})` : '';
  return err.message + response;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

