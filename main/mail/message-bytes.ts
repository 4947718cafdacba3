// A raw message as the structure scanner reads it: in memory (a small message, fetched whole)
// or in its file in the blob store (a large one, streamed to disk as it arrived). The file is
// read a block at a time, so a 100 MB message costs the scanner a megabyte of memory.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export interface MessageBytes {
  readonly length: number;
  /** Where `needle` first lies wholly inside [from, end); -1 if nowhere. */
  indexOf(needle: Buffer, from: number, end: number): Promise<number>;
  /** A copy (or view) of a short stretch. */
  slice(start: number, end: number): Promise<Buffer>;
  /** The bytes of [start, end) in chunks, for decoding a body without holding it. */
  chunks(start: number, end: number): AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** How much of a file is read per step. */
const BLOCK = 1024 * 1024;
/**
 * How much of a body in memory is decoded per step: decoding base64 makes a string of it, held
 * outside the heap until a collection, and small steps keep those few and short-lived.
 */
const PIECE = 256 * 1024;

function* inPieces(raw: Buffer, start: number, end: number): Iterable<Buffer> {
  for (let at = start; at < end; at += PIECE) yield raw.subarray(at, Math.min(end, at + PIECE));
}

export function bytesInMemory(raw: Buffer): MessageBytes {
  return {
    length: raw.length,
    indexOf: async (needle, from, end) => raw.subarray(0, end).indexOf(needle, from),
    slice: async (start, end) => raw.subarray(start, end),
    chunks: (start, end) => inPieces(raw, start, end),
  };
}

/** A message file, open until close(). */
export async function bytesOfFile(file: string): Promise<MessageBytes & { close(): Promise<void> }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    return new FileBytes(file, handle, size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

class FileBytes implements MessageBytes {
  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    readonly length: number,
  ) {}

  async indexOf(needle: Buffer, from: number, end: number): Promise<number> {
    const stop = Math.min(end, this.length);
    // Blocks overlap by the needle's length less one, so a needle across two blocks is found.
    for (let at = Math.max(0, from); at + needle.length <= stop; at += BLOCK - needle.length + 1) {
      const block = await this.slice(at, Math.min(stop, at + BLOCK));
      const found = block.indexOf(needle);
      if (found !== -1) return at + found;
      if (at + BLOCK >= stop) break;
    }
    return -1;
  }

  async slice(start: number, end: number): Promise<Buffer> {
    const length = Math.max(0, Math.min(end, this.length) - start);
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await this.handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  }

  chunks(start: number, end: number): AsyncIterable<Buffer> | Iterable<Buffer> {
    if (end <= start) return [];
    return createReadStream(this.file, { start, end: end - 1, highWaterMark: BLOCK });
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
