// Real mail programs (mutt, swaks) sending through a test SMTP server, for the tests that read
// what they write: each send comes back as the raw bytes the program put on the wire.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOGOVOR, fakeFile } from './mail-samples';
import { startSmtpServer } from './smtp';

/** A file the programs attach that is empty (0 bytes). */
export const EMPTY_FILE = 'пусто.txt';

const FROM = 'client@example.test';
const TO = 'operator@example.test';

export interface MailPrograms {
  /** The files in the programs' folder (a Cyrillic-named PDF, a PNG, random bytes), by name. */
  files: ReadonlyArray<readonly [string, Buffer]>;
  /** mutt with these attachments (names in the folder) and body; `utf8` sets send_charset=utf-8. */
  mutt(subject: string, attach: readonly string[], body: string, options?: { utf8?: boolean }): Promise<Buffer>;
  /** swaks with the subject "files", the body "Files attached." and every one of `files`. */
  swaks(): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Writes the files into `folder` (the programs' working folder and HOME) and starts the SMTP server. */
export async function startMailPrograms(folder: string): Promise<MailPrograms> {
  const files: Array<[string, Buffer]> = [
    [DOGOVOR, fakeFile('%PDF-1.4', 6000)],
    ['photo.png', fakeFile('\x89PNG', 3000)],
    ['data.bin', randomBytes(2500)],
  ];
  mkdirSync(folder);
  for (const [name, content] of files) writeFileSync(path.join(folder, name), content);
  writeFileSync(path.join(folder, EMPTY_FILE), '');
  const smtp = await startSmtpServer();

  /** Runs a program in the folder, with that folder as HOME and a UTF-8 locale. */
  const run = (command: string, args: string[], stdin: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const env = { ...process.env, HOME: folder, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
      const child = execFile(command, args, { cwd: folder, env, timeout: 30_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`${command} failed: ${error.message}\n${stderr}`)) : resolve(),
      );
      child.stdin?.end(stdin);
    });
  const send = async (command: string, args: string[], stdin: string): Promise<Buffer> => {
    const before = smtp.received.length;
    await run(command, args, stdin);
    const mails = await smtp.waitForMessages(before + 1);
    return mails[before]!.raw;
  };

  return {
    files,
    mutt(subject, attach, body, options = {}) {
      const settings = `set smtp_url="smtp://127.0.0.1:${smtp.port}/" ssl_starttls=no ssl_force_tls=no from=${FROM}${options.utf8 ? ' send_charset=utf-8' : ''}`;
      return send('mutt', ['-n', '-F', '/dev/null', '-e', settings, '-s', subject, '-a', ...attach, '--', TO], body);
    },
    swaks() {
      const attach = files.flatMap(([name]) => ['--attach', name]);
      return send('swaks', ['--server', `127.0.0.1:${smtp.port}`, '--from', FROM, '--to', TO, '--header', 'Subject: files', '--body', 'Files attached.', ...attach], '');
    },
    stop: () => smtp.stop(),
  };
}
