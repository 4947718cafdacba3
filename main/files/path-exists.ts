import { lstat } from 'node:fs/promises';

/** Whether anything is at this path, a dangling link included: a name that is taken, whatever holds it. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
