import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../main/files/blob-store';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('postdesk-blobs-');
afterAll(() => tmp.cleanup());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

describe('the content-addressed blob store', () => {
  it('names a blob by the SHA-256 of its bytes and reads the same bytes back', async () => {
    const store = new BlobStore(path.join(tmp.dir, 'a'));
    await store.init();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const { key, size } = await store.putBuffer(bytes);
    expect(key).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(size).toBe(bytes.length);
    expect(store.pathOf(key)).toBe(path.join(store.root, key.slice(0, 2), key.slice(2)));
    expect(readFileSync(store.pathOf(key)).equals(bytes)).toBe(true);
  });

  it('stores the same bytes twice in the room of one and leaves no temp files', async () => {
    const store = new BlobStore(path.join(tmp.dir, 'b'));
    await store.init();
    const bytes = randomBytes(100_000);
    const source = path.join(tmp.dir, 'source.bin');
    writeFileSync(source, bytes);
    const first = await store.putBuffer(bytes);
    const second = await store.put(createReadStream(source));
    const third = await store.put(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
    expect(new Set([first.key, second.key, third.key]).size).toBe(1);
    expect(filesUnder(store.root)).toEqual([store.pathOf(first.key)]);
  });

  it('leaves nothing behind when the source fails halfway', async () => {
    const store = new BlobStore(path.join(tmp.dir, 'c'));
    await store.init();
    const failing = new Readable({
      read() {
        this.push(randomBytes(1024));
        this.destroy(new Error('connection dropped'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('connection dropped');
    expect(filesUnder(store.root)).toEqual([]);
  });

  it('writes through a deferred writer the same blobs, made durable together at flush', async () => {
    const store = new BlobStore(path.join(tmp.dir, 'e'));
    await store.init();
    const writer = store.deferred();
    const a = randomBytes(50_000);
    const b = randomBytes(70_000);
    const first = await writer.putBuffer(a);
    const second = await writer.put(Readable.from([b]));
    const again = await writer.putBuffer(a);
    await writer.flush();
    expect(again.key).toBe(first.key);
    expect(readFileSync(store.pathOf(first.key)).equals(a)).toBe(true);
    expect(readFileSync(store.pathOf(second.key)).equals(b)).toBe(true);
    expect(filesUnder(store.root).sort()).toEqual([store.pathOf(first.key), store.pathOf(second.key)].sort());
  });

  it('refuses anything that is not a key', async () => {
    const store = new BlobStore(path.join(tmp.dir, 'd'));
    for (const bad of ['../../etc/passwd', 'ab', 'A'.repeat(64), `${'a'.repeat(63)}/`]) {
      expect(() => store.pathOf(bad)).toThrow(/not a blob key/);
    }
    expect(await store.has('0'.repeat(64))).toBe(false);
  });
});
