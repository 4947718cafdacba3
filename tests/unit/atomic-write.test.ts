// The one temp-then-rename writer: the target holds the whole new content or stays as it was,
// and no temp file outlives a write, whichever step fails.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { moveOnto, writeAtomically, writeTemp } from '../../main/files/atomic-write';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('postdesk-atomic-write-');
afterAll(() => tmp.cleanup());
let dirs = 0;

/** A fresh folder holding `target.txt` with the old content. */
function folderWithTarget(): { dir: string; target: string } {
  const dir = path.join(tmp.dir, String(++dirs));
  mkdirSync(dir);
  const target = path.join(dir, 'target.txt');
  writeFileSync(target, 'old content');
  return { dir, target };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('writeAtomically', () => {
  it('replaces the target with the whole content and leaves no temp file', async () => {
    const { dir, target } = folderWithTarget();
    await writeAtomically(target, (out) => pipeline(Readable.from([Buffer.from('new '), Buffer.from('content')]), out));
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['target.txt']);
  });

  it('writes bytes in memory the same way, durably when asked', async () => {
    const { dir, target } = folderWithTarget();
    await writeAtomically(target, Buffer.from('new content'), { durable: true });
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['target.txt']);
  });

  it('keeps the old target and leaves no temp file when the write fails halfway', async () => {
    const { dir, target } = folderWithTarget();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 0x61));
        this.destroy(new Error('connection dropped'));
      },
    });
    const error = await rejection(writeAtomically(target, (out) => pipeline(failing, out)));
    expect(error.message).toBe('connection dropped');
    expect(readFileSync(target, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['target.txt']);
  });

  it('keeps the old target and leaves no temp file when the disk fills up', async () => {
    const { dir, target } = folderWithTarget();
    const full = () =>
      new Writable({
        write(_chunk, _encoding, done) {
          done(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
        },
      });
    const error = await rejection(writeAtomically(target, (out) => pipeline(Readable.from([Buffer.from('new content')]), out), { createFile: full }));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readFileSync(target, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['target.txt']);
  });

  it('leaves no temp file when the move itself is refused', async () => {
    const { dir } = folderWithTarget();
    // A file cannot take the name of a folder that has something in it.
    const target = path.join(dir, 'a-folder');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside.txt'), 'kept');
    await rejection(writeAtomically(target, Buffer.from('new content'), { durable: true }));
    expect(readdirSync(dir).sort()).toEqual(['a-folder', 'target.txt']);
    expect(readFileSync(path.join(target, 'inside.txt'), 'utf8')).toBe('kept');
  });
});

describe('writeTemp and moveOnto', () => {
  it('never removes a file that already had the temp name: it is not ours', async () => {
    const { dir } = folderWithTarget();
    const taken = path.join(dir, '.taken.part');
    writeFileSync(taken, 'someone else’s');
    const error = await rejection(writeTemp(taken, Buffer.from('mine')));
    expect((error as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(readFileSync(taken, 'utf8')).toBe('someone else’s');
  });

  it('removes the temp file when the folder it should move into is gone', async () => {
    const { dir } = folderWithTarget();
    const temp = path.join(dir, '.temp.part');
    await writeTemp(temp, Buffer.from('complete'));
    await rejection(moveOnto(temp, path.join(dir, 'missing', 'target.txt')));
    expect(readdirSync(dir)).toEqual(['target.txt']);
  });
});
