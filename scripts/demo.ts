// `npm run demo`: a sandbox to try Postdesk in. Starts a private Dovecot (the operator's and a
// client's mailboxes) and an SMTP server that delivers into it, writes a config pointing at
// them, and starts the app: the browser host by default, the desktop app with --desktop
// (where an Electron binary is installed). Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { channelFor, CLIENT, MAILBOX_USERS, OPERATOR, writeConfig } from '../tests/support/config-file';
import { deliverLmtp, startDovecot } from '../tests/support/dovecot';
import { buildMessage } from '../tests/support/mail-builder';
import { startSmtpServer } from '../tests/support/smtp';
import { ROOT, startHost } from '../tests/support/web-host';

const desktop = process.argv.includes('--desktop');
const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-demo-'));

const dovecot = await startDovecot({ users: MAILBOX_USERS });
const smtp = await startSmtpServer({ deliverTo: dovecot });
const config = writeConfig(dir, { channels: [channelFor({ dovecot, smtp }, { name: 'Demo support' })] });
await deliverDemoMail();
const dataDir = path.join(dir, 'data');

console.log(`Dovecot (IMAP) on 127.0.0.1:${dovecot.imapPort}, LMTP on 127.0.0.1:${dovecot.lmtpPort}`);
console.log(`  operator mailbox ${OPERATOR.address} / ${OPERATOR.password}`);
console.log(`  client mailbox   ${CLIENT.address} / ${CLIENT.password}`);
console.log(`SMTP server on 127.0.0.1:${smtp.port} (delivers into Dovecot)`);
console.log(`Config ${config}`);
console.log(`Data   ${dataDir}`);

let app: ChildProcess;
if (desktop) {
  app = spawn(path.join(ROOT, 'node_modules', '.bin', 'electron'), [ROOT, '--config', config, '--data-dir', dataDir], { stdio: 'inherit' });
} else {
  const host = await startHost({ config, dataDir });
  app = host.process;
  console.log(`Postdesk running at ${host.url}`);
  // Each link opens the page once; Enter here asks the host for another, as in `npm run web`.
  console.log('Press Enter here for a link for another browser: each link opens Postdesk once.');
  createInterface({ input: process.stdin }).on('line', () => {
    void host.newLink().then((url) => console.log(`Link for another browser: ${url}`));
  });
}

async function stop(): Promise<void> {
  app.kill('SIGTERM');
  await smtp.stop();
  await dovecot.stop();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
app.once('exit', () => void stop());

/** A client's first e-mails, already waiting in the operator's INBOX when the app starts. */
async function deliverDemoMail(): Promise<void> {
  const pdf = Buffer.from('%PDF-1.4\n% demo\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await deliverLmtp(
    dovecot,
    OPERATOR.address,
    await buildMessage({
      from: `Иванов Иван <${CLIENT.address}>`,
      to: OPERATOR.address,
      subject: 'Документы по договору',
      text: 'Здравствуйте! Отправляю документы по договору.',
      attachments: [
        { filename: 'Договор №5.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'скан.png', content: png, contentType: 'image/png' },
      ],
    }),
  );
}
