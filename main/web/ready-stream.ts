import { once } from 'node:events';
import type { Readable } from 'node:stream';

/**
 * Resolves true once `stream` can deliver (its file is open and the first read worked), false
 * when it failed first (the file was removed after we looked it up, it is a folder, the disk
 * refused). Only then are headers sent, so a file that vanished is answered as a plain 404
 * instead of a 200 that breaks off.
 */
export async function readyToSend(stream: Readable): Promise<boolean> {
  try {
    await once(stream, 'readable');
    return true;
  } catch {
    stream.destroy();
    return false;
  }
}
