// `npm run demo` as a newcomer runs it (issue 12, item 7): its options reach the app, it prints
// every mailbox, and the swaks command it prints really puts a mail with files into the
// operator's INBOX — checked in Dovecot with the printed password, and in the app.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { MAILBOX_USERS, OPERATOR } from '../support/config-file';
import { freePort } from '../support/ports';
import { hostApi, ROOT } from '../support/web-host';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const DEMO = path.join(ROOT, 'scripts', 'demo.ts');

let demo: ChildProcess | undefined;
afterEach(async () => {
  // SIGTERM is Ctrl-C's way out: the demo stops the app, the SMTP server and Dovecot itself.
  if (demo && demo.exitCode === null) {
    demo.kill('SIGTERM');
    await once(demo, 'exit');
  }
  demo = undefined;
});

function startDemo(args: string[]): ChildProcess {
  return spawn(TSX, [DEMO, ...args], { cwd: ROOT, env: { ...process.env, POSTDESK_CONFIG: '', POSTDESK_DATA_DIR: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Every line the demo prints up to the app's URL. */
async function demoOutput(child: ChildProcess): Promise<string[]> {
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Postdesk running at ')) resolve(lines);
    });
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${lines.join('\n')}\n${stderr}`)));
  });
}

const field = (lines: string[], pattern: RegExp): string => {
  const match = lines.map((line) => pattern.exec(line)).find(Boolean);
  if (!match) throw new Error(`no line matches ${pattern}:\n${lines.join('\n')}`);
  return match[1]!;
};

describe('npm run demo', () => {
  it('passes --lang and --port to the app, prints every mailbox, and its swaks command mails the operator two files', async () => {
    const port = await freePort();
    demo = startDemo(['--lang', 'ru', '--port', String(port), '--no-open']);
    const lines = await demoOutput(demo);

    for (const { user, password } of MAILBOX_USERS) expect(lines.some((line) => line.includes(`${user} / ${password}`))).toBe(true);
    const url = field(lines, /^Postdesk running at (\S+)$/);
    expect(new URL(url).port).toBe(String(port));
    // The app speaks the language it was given.
    const first = await fetch(url, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const api = hostApi({ origin: new URL(url).origin }, cookie);
    expect((await api.value('app.info')).lang).toBe('ru');

    // The printed command, run as a newcomer pastes it into a shell.
    const swaks = field(lines, /^\s+(swaks .*)$/);
    await run('sh', ['-c', swaks], { timeout: 30_000 });

    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: Number(field(lines, /^Dovecot \(IMAP\) on 127\.0\.0\.1:(\d+)/)),
      secure: false,
      auth: { user: OPERATOR.address, pass: field(lines, new RegExp(`^\\s+${OPERATOR.address.replace(/\./g, '\\.')} / (\\S+)`)) },
      logger: false,
    });
    imap.on('error', () => undefined);
    await imap.connect();
    try {
      const lock = await imap.getMailboxLock('INBOX');
      try {
        const uids = (await imap.search({ header: { subject: 'sent with swaks' } }, { uid: true })) || [];
        expect(uids).toHaveLength(1);
        const message = await imap.fetchOne(String(uids[0]), { source: true }, { uid: true });
        const parsed = await simpleParser(message ? message.source! : Buffer.alloc(0));
        expect(parsed.from?.value[0]?.address).toBe('client@example.test');
        expect(parsed.attachments.map((a) => [a.filename, a.content.subarray(0, 4).toString('latin1')])).toEqual([
          ['Договор №5.pdf', '%PDF'],
          ['скан.png', '\x89PNG'],
        ]);
      } finally {
        lock.release();
      }
    } finally {
      await imap.logout();
    }

    // And the app files it under the client, with both files.
    let stored: Array<{ subject: string; files: number }> = [];
    for (let tries = 0; tries < 100 && !stored.some((m) => m.subject.includes('swaks')); tries++) {
      const [conversation] = await api.value('conversations.list', { status: 'active' });
      if (conversation) stored = (await api.value('messages.list', { conversationId: conversation.id })).messages.map((m) => ({ subject: m.subject, files: m.attachments.length }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stored).toContainEqual({ subject: 'Documents, sent with swaks', files: 2 });
  });

  it.each([
    [['--config', 'mine.json'], /the demo writes its own config/],
    [['--lang', 'de'], /--lang de: expected "en" or "ru"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j before any server starts', async (args, message) => {
    const child = startDemo(args);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
