// Temp-then-rename, in one place: a file is written under a temp name and moved onto its own
// name only when complete, so a crash or a failed write never leaves half a file under a name
// anyone reads, and a failed write leaves no temp file behind. Whether the file is made durable
// is the caller's choice: the blob store fsyncs (its bytes are the only copy), a file the
// operator saves does not (attachment-export.ts says why).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

/** Creates a new file, failing if it exists; the stream emits 'close'. Tests inject a full disk or a refusal here. */
export type CreateFile = (file: string) => Writable;

/** Bytes in memory, or a writer that fills the stream it is given and resolves when it is done. */
export type Contents = Uint8Array | ((out: Writable) => Promise<void>);

const createNewFile: CreateFile = (file) => createWriteStream(file, { flags: 'wx' });

/** A temp name in `dir`, hidden and unlikely to be taken; beside the target, because a rename does not cross file systems. */
export function tempFileIn(dir: string): string {
  return path.join(dir, `.postdesk-${randomBytes(8).toString('hex')}.part`);
}

/** Creates `tmp` and writes `contents` into it; if that fails, the temp file is removed. */
export async function writeTemp(tmp: string, contents: Contents, createFile: CreateFile = createNewFile): Promise<void> {
  let out: Writable | undefined;
  try {
    if (contents instanceof Uint8Array) {
      await writeFile(tmp, contents, { flag: 'wx' });
    } else {
      out = createFile(tmp);
      await contents(out);
    }
  } catch (error) {
    // A failed pipeline rejects before the file stream has let go of the file (it may even
    // still be creating it): removed any earlier, it could come back.
    if (out) await released(out);
    // EEXIST: the name belongs to a file we did not create.
    if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EEXIST') await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Moves a complete temp file onto `target`, replacing what is there. Durable: the file reaches
 * the disk before it takes the name, and the name (the folder) after. If the move fails, the
 * temp file is removed.
 */
export async function moveOnto(tmp: string, target: string, { durable = false }: { durable?: boolean } = {}): Promise<void> {
  try {
    if (durable) await fsyncPath(tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  if (durable) await fsyncPath(path.dirname(target));
}

/** `target` holds the whole of `contents` or is left as it was; the temp file lies beside it. */
export async function writeAtomically(
  target: string,
  contents: Contents,
  options: { durable?: boolean; createFile?: CreateFile } = {},
): Promise<void> {
  const tmp = tempFileIn(path.dirname(target));
  await writeTemp(tmp, contents, options.createFile);
  await moveOnto(tmp, target, options);
}

/** Flushes a file, or a folder's entries, to the disk. */
export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Resolves once a file stream has closed its descriptor (destroying it first if need be). */
async function released(stream: Writable): Promise<void> {
  if (stream.closed) return;
  if (!stream.destroyed) stream.destroy();
  await new Promise((resolve) => stream.once('close', resolve));
}
