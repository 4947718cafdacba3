// Content-addressed storage for attachment bytes: a file's name is the SHA-256 of its content,
// so the same bytes stored twice take the room of one, and no name from outside ever becomes
// a path. Writes go to a temp file that is fsynced and then renamed, so a crash leaves either
// the whole blob or nothing under its final name.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  key: string;
  size: number;
}

const KEY_PATTERN = /^[0-9a-f]{64}$/;

export function isBlobKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export class BlobStore {
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
  }

  /** The file of a stored blob; throws for anything that is not a well-formed key. */
  pathOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`not a blob key: ${JSON.stringify(key).slice(0, 80)}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2));
  }

  async has(key: string): Promise<boolean> {
    try {
      await access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async size(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size;
  }

  open(key: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(key), range);
  }

  putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    return this.put(Readable.from([bytes]));
  }

  putFile(file: string): Promise<StoredBlob> {
    return this.put(createReadStream(file));
  }

  /** Streams the source to disk while hashing it; memory use does not grow with its size. */
  async put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    const tmp = path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, measure, createWriteStream(tmp, { flags: 'wx' }));
      await fsync(tmp);
      const key = hash.digest('hex');
      const final = this.pathOf(key);
      if (await this.has(key)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(path.dirname(final), { recursive: true });
        await rename(tmp, final);
        await fsync(path.dirname(final));
      }
      return { key, size };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}

async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
