// Content-addressed storage for attachment bytes: a file's name is the SHA-256 of its content,
// so the same bytes stored twice take the room of one, and no name from outside ever becomes
// a path. Writes go to a temp file that is fsynced and then renamed (atomic-write.ts), so a crash
// leaves either the whole blob or nothing under its final name.
//
// A received message's attachments are no files of their own: a key with no file is looked up
// among the derived blobs (derived-blob.ts) and decoded from its raw message as it is read.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsyncPath, moveOnto, writeTemp } from './atomic-write';
import type { RandomAccessBytes } from './content-inspector';
import { openDerived, type DerivedBlob, type DerivedBlobs, type PartRange } from './derived-blob';
import { pathExists } from './path-exists';

export interface StoredBlob {
  key: string;
  size: number;
  /** Not written: the bytes are this range of the message being read (parse-fast.ts). */
  range?: PartRange;
}

/** What parsing and ingest need to keep bytes: the blob store itself, or a deferred writer of it. */
export interface BlobWriter {
  put(source: NodeJS.ReadableStream): Promise<StoredBlob>;
  putBuffer(bytes: Uint8Array): Promise<StoredBlob>;
}

interface ReadOptions {
  start?: number;
  end?: number;
  chunkSize?: number;
}

interface PutOptions {
  /** fsync the blob and its folder before resolving (default); off inside a DeferredBlobWriter. */
  sync?: boolean;
}

const KEY_PATTERN = /^[0-9a-f]{64}$/;
/** A sweep leaves blobs younger than this: one may belong to a write whose row is not committed yet. */
export const SWEEP_GRACE_MS = 60 * 60_000;
/**
 * How a copy (a save, a ZIP) reads a blob: a megabyte at a time, so 30 MB is 30 reads, not 480,
 * and each stream stage (progress, CRC, the archive) runs 30 times. Parsing keeps Node's 64 KB:
 * a parser holds a few chunks, and a megabyte each doubled the memory of a 100 MB message.
 */
export const COPY_CHUNK = 1024 * 1024;

export function isBlobKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export class BlobStore implements BlobWriter {
  private readonly tmpDir: string;
  private derived: DerivedBlobs = () => undefined;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
  }

  /** Where keys without a file of their own are found (the attachments table, once the database is open). */
  deriveFrom(lookup: DerivedBlobs): void {
    this.derived = lookup;
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
    const derived = this.derivedOf(key);
    return pathExists(derived ? this.pathOf(derived.rawKey) : this.pathOf(key));
  }

  async size(key: string): Promise<number> {
    return this.derivedOf(key)?.size ?? (await stat(this.pathOf(key))).size;
  }

  /** The blob's bytes, or [start, end] of them (inclusive); a derived blob is decoded from its raw message. */
  open(key: string, options: ReadOptions = {}): NodeJS.ReadableStream & Readable {
    return this.openAs(key, this.derivedOf(key), options);
  }

  /** The blob read by ranges (what the content inspector reads a file through), looked up once for all its reads. */
  async reader(key: string): Promise<RandomAccessBytes> {
    const derived = this.derivedOf(key);
    const size = derived?.size ?? (await stat(this.pathOf(key))).size;
    return { size, read: (start, end) => this.openAs(key, derived, { start, end }) };
  }

  private openAs(key: string, derived: DerivedBlob | undefined, options: ReadOptions): NodeJS.ReadableStream & Readable {
    if (derived) return openDerived(this.pathOf(derived.rawKey), derived, { ...options, key });
    const { chunkSize, ...range } = options;
    return createReadStream(this.pathOf(key), { ...range, highWaterMark: chunkSize });
  }

  /** The derived blob of a key that has no file of its own. */
  private derivedOf(key: string): DerivedBlob | undefined {
    return existsSync(this.pathOf(key)) ? undefined : this.derived(key);
  }

  /** Bytes already in memory: hashed in one go and written without a stream. */
  async putBuffer(bytes: Uint8Array, options: PutOptions = {}): Promise<StoredBlob> {
    const key = createHash('sha256').update(bytes).digest('hex');
    const tmp = this.tmpFile();
    await writeTemp(tmp, bytes);
    await this.settle(tmp, key, options);
    return { key, size: bytes.length };
  }

  /** Streams the source to disk while hashing it; memory use does not grow with its size. */
  async put(source: NodeJS.ReadableStream, options: PutOptions = {}): Promise<StoredBlob> {
    const tmp = this.tmpFile();
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await writeTemp(tmp, (out) => pipeline(source, measure, out));
    const key = hash.digest('hex');
    await this.settle(tmp, key, options);
    return { key, size };
  }

  /**
   * Removes blobs nothing refers to (a file removed from a draft, an attached file that broke a
   * rule) and temp files a crash left, when older than `olderThan`: anything newer may belong to
   * a write whose row is not committed yet.
   */
  async sweep(isReferenced: (key: string) => boolean, olderThan: Date): Promise<{ removed: number; bytes: number }> {
    let removed = 0;
    let bytes = 0;
    const take = async (file: string) => {
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || info.mtime >= olderThan) return;
      await rm(file, { force: true });
      removed++;
      bytes += info.size;
    };
    for (const shard of await readdir(this.root)) {
      if (shard === 'tmp') {
        for (const name of await readdir(this.tmpDir)) await take(path.join(this.tmpDir, name));
        continue;
      }
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(path.join(this.root, shard))) {
        const key = shard + name;
        if (isBlobKey(key) && !isReferenced(key)) await take(path.join(this.root, shard, name));
      }
    }
    return { removed, bytes };
  }

  /** A writer whose blobs reach the disk together at flush(): one round of fsyncs per message. */
  deferred(): DeferredBlobWriter {
    return new DeferredBlobWriter(this);
  }

  private tmpFile(): string {
    return path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  /** Moves a written temp file under its key (or drops it when the blob is already there). */
  private async settle(tmp: string, key: string, { sync = true }: PutOptions): Promise<void> {
    const final = this.pathOf(key);
    if (await pathExists(final)) {
      await rm(tmp, { force: true });
      // Stored again means wanted again: a fresh time keeps a sweep from taking a blob that was
      // unreferenced until now but is about to be referenced by the caller.
      const now = new Date();
      await utimes(final, now, now);
      return;
    }
    await mkdir(path.dirname(final), { recursive: true }).catch(async (error: unknown) => {
      await rm(tmp, { force: true });
      throw error;
    });
    await moveOnto(tmp, final, { durable: sync });
  }
}

/**
 * Writes blobs without waiting for the disk, then makes them all durable at once. Callers
 * flush before they store anything that refers to these blobs, so a crash can lose only
 * blobs nothing points to yet.
 */
export class DeferredBlobWriter implements BlobWriter {
  private readonly keys = new Set<string>();

  constructor(private readonly store: BlobStore) {}

  async put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    return this.remember(await this.store.put(source, { sync: false }));
  }

  async putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    return this.remember(await this.store.putBuffer(bytes, { sync: false }));
  }

  async flush(): Promise<void> {
    const files = [...this.keys].map((key) => this.store.pathOf(key));
    const dirs = new Set(files.map((file) => path.dirname(file)));
    await Promise.all([...files, ...dirs].map(fsyncPath));
    this.keys.clear();
  }

  private remember(blob: StoredBlob): StoredBlob {
    this.keys.add(blob.key);
    return blob;
  }
}
