// `npm run demo`: a sandbox to try Postdesk in. Starts a private Dovecot (the operator's, a
// client's and a supervisor's mailboxes) and an SMTP server that delivers into it, writes a
// config pointing at them, and starts the app: the browser host by default, the desktop app
// with --desktop (where an Electron binary is installed). Every other option (--lang, --port,
// --no-open, --data-dir, …) goes to the app as it is, as with `npm run web` and `npm start`.
// It prints the mailboxes and a swaks command that mails the operator files. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseCliArgs, UsageError } from '../main/config/cli-args';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../tests/support/config-file';
import { deliverLmtp, startDovecot } from '../tests/support/dovecot';
import { buildMessage } from '../tests/support/mail-builder';
import { startSmtpServer } from '../tests/support/smtp';
import { ROOT, startHost } from '../tests/support/web-host';

/** The demo's own switch; everything else is the app's. */
const DESKTOP = '--desktop';

const args = process.argv.slice(2);
const desktop = args.includes(DESKTOP);
const appArgs = args.filter((arg) => arg !== DESKTOP);
let dataDir: string | undefined;
try {
  // Checked as the app checks them, before any server starts; the environment is the demo's to set, not POSTDESK_*.
  const options = parseCliArgs(appArgs, {});
  if (options.config) throw new UsageError('--config: the demo writes its own config, for its own mail servers; for yours use npm run web -- --config FILE');
  dataDir = options.dataDir;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`npm run demo: ${error.message}`);
  process.exit(2);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-demo-'));
dataDir ??= path.join(dir, 'data');
const files = writeSampleFiles(path.join(dir, 'files'));

const dovecot = await startDovecot({ users: MAILBOX_USERS });
const smtp = await startSmtpServer({ deliverTo: dovecot });
const config = writeConfig(dir, { channels: [channelFor({ dovecot, smtp }, { name: 'Demo support' })] });
await deliverDemoMail();

console.log(`Dovecot (IMAP) on 127.0.0.1:${dovecot.imapPort}, LMTP on 127.0.0.1:${dovecot.lmtpPort}`);
console.log('Mailboxes (IMAP user / password):');
for (const { user, password } of MAILBOX_USERS) console.log(`  ${user} / ${password}${user === OPERATOR.address ? '   (the operator: the Demo support channel)' : ''}`);
console.log(`SMTP server on 127.0.0.1:${smtp.port} (delivers into Dovecot; any other recipient is refused with 550)`);
console.log(`Config ${config}`);
console.log(`Data   ${dataDir}`);
console.log(`To put a mail with attachments into the operator's INBOX, as the client writes (through the demo's SMTP server):`);
console.log(`  ${swaksCommand()}`);

let app: ChildProcess;
if (desktop) {
  app = spawn(path.join(ROOT, 'node_modules', '.bin', 'electron'), [ROOT, '--config', config, '--data-dir', dataDir, ...appArgs], { stdio: 'inherit' });
} else {
  // `open`: the app's own default (the system browser) unless --no-open is among appArgs.
  const host = await startHost({ config, dataDir, extraArgs: appArgs, open: true });
  app = host.process;
  // What the app says went wrong from here on (a browser that could not be opened, …) is the operator's to read.
  host.process.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  console.log(`Postdesk running at ${host.url}`);
  // Each link opens the page once; Enter here asks the host for another, as in `npm run web`.
  console.log('Press Enter here for a link for another browser: each link opens Postdesk once.');
  createInterface({ input: process.stdin }).on('line', () => {
    void host.newLink().then((url) => console.log(`Link for another browser: ${url}`));
  });
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (app.exitCode === null && app.signalCode === null) {
    app.kill('SIGTERM');
    await once(app, 'exit');
  }
  await smtp.stop();
  await dovecot.stop();
  // Its mail is gone with its Dovecot: nothing in the sandbox is worth keeping (a --data-dir of one's own stays).
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
app.once('exit', () => void stop());

/** A PDF and a PNG with the names clients give them, for the first mail and for swaks. */
function writeSampleFiles(folder: string): Array<{ path: string; name: string; content: Buffer; contentType: string }> {
  const pdf = Buffer.from('%PDF-1.4\n% demo\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  mkdirSync(folder);
  return [
    { name: 'Договор №5.pdf', content: pdf, contentType: 'application/pdf' },
    { name: 'скан.png', content: png, contentType: 'image/png' },
  ].map((file) => {
    const at = path.join(folder, file.name);
    writeFileSync(at, file.content);
    return { ...file, path: at };
  });
}

/** A command line to paste into a shell: the client mails the operator both sample files. */
function swaksCommand(): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    'swaks',
    `--server 127.0.0.1:${smtp.port}`,
    `--from ${CLIENT.address}`,
    `--to ${OPERATOR.address}`,
    `--header ${quote('Subject: Documents, sent with swaks')}`,
    `--body ${quote('Hello! The documents are attached.')}`,
    ...files.map((file) => `--attach ${quote(`@${file.path}`)}`),
  ].join(' ');
}

/** A client's first e-mail, already waiting in the operator's INBOX when the app starts. */
async function deliverDemoMail(): Promise<void> {
  await deliverLmtp(
    dovecot,
    OPERATOR.address,
    await buildMessage({
      from: `Иванов Иван <${CLIENT.address}>`,
      to: OPERATOR.address,
      subject: 'Документы по договору',
      text: 'Здравствуйте! Отправляю документы по договору.',
      attachments: files.map(({ name, content, contentType }) => ({ filename: name, content, contentType })),
    }),
  );
}
