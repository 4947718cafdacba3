// The system browser is opened on a private file that redirects to the page, never on the URL
// itself: a command line is readable by every local user (ps, /proc/<pid>/cmdline), while a
// 0600 file in a 0700 folder is not. The file goes as soon as its link has been used.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redirectPage } from './redirect-page';

/** A browser that never loads the file (none installed, the operator closed it) leaves nothing behind for long. */
const LAUNCH_FILE_LIFETIME_MS = 2 * 60_000;

export interface LaunchFile {
  file: string;
  remove(): void;
}

/** Writes the redirect page into a fresh folder of its own under `tmpRoot` (mkdtemp makes it 0700). */
export function writeLaunchFile(url: string, tmpRoot = os.tmpdir()): LaunchFile {
  const dir = mkdtempSync(path.join(tmpRoot, 'postdesk-open-'));
  const file = path.join(dir, 'open-postdesk.html');
  writeFileSync(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens `link` in the system browser through a launch file, removed once the link is used or after a while. */
export function openThroughFile(link: { url: string; used: Promise<void> }, open: (target: string) => void, tmpRoot?: string): LaunchFile {
  const launch = writeLaunchFile(link.url, tmpRoot);
  const timer = setTimeout(launch.remove, LAUNCH_FILE_LIFETIME_MS);
  timer.unref();
  void link.used.then(() => {
    clearTimeout(timer);
    launch.remove();
  });
  open(launch.file);
  return launch;
}
