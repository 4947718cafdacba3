// A blob store in a fresh temp dir, for a test file that parses mail: created before its tests
// run, removed after. Call it at the top of the file (it registers the hooks).
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { BlobStore } from '../../main/files/blob-store';
import { tempDir } from './temp-dir';

export function tempBlobStore(prefix: string): { readonly store: BlobStore; readonly dir: string } {
  const temp = tempDir(prefix);
  const store = new BlobStore(path.join(temp.dir, 'blobs'));
  beforeAll(() => store.init());
  afterAll(() => temp.cleanup());
  return { store, dir: temp.dir };
}
