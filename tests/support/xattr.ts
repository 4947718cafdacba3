// Reads a file's origin mark the way a Linux file manager does, with attr's getfattr.
import { execFileSync } from 'node:child_process';

/** The file's user.xdg.origin.url, or null when it has none. */
export function originOf(file: string): string | null {
  try {
    return execFileSync('getfattr', ['--only-values', '-n', 'user.xdg.origin.url', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
