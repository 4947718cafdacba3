// Who sits at this desk when the config does not say: the OS account's full name (what the
// system's own login screen shows), else its login name. Read once at start.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The full name of a passwd(5) line's GECOS field: its first comma-separated part. */
export function gecosName(passwd: string, uid: number): string | null {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 7 && Number(fields[2]) === uid) return fields[4]!.split(',')[0]!.trim() || null;
  }
  return null;
}

function fullName(platform: NodeJS.Platform): string | null {
  try {
    if (platform === 'darwin') return execFileSync('id', ['-F'], { encoding: 'utf8', timeout: 2000 }).trim() || null;
    if (platform === 'win32') return null;
    const uid = process.getuid?.();
    return uid === undefined ? null : gecosName(readFileSync('/etc/passwd', 'utf8'), uid);
  } catch {
    return null;
  }
}

export function osOperatorName(platform = process.platform): string {
  let login = '';
  try {
    login = os.userInfo().username;
  } catch {
    login = process.env.USER ?? process.env.USERNAME ?? '';
  }
  // Control characters would end up in a mail header (the team's copy names the operator).
  const clean = (name: string | null) => name?.replace(/\p{Cc}/gu, '').trim() || null;
  // The team's heartbeats carry at most 100 characters of it.
  return (clean(fullName(platform)) ?? clean(login) ?? 'Operator').slice(0, 100);
}
