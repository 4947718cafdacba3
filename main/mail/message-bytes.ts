// A raw message as the structure scanner reads it: in memory (a small message, fetched whole)
// or in its file in the blob store (a large one, streamed to disk as it arrived). The file is
// read a block at a time, so a 100 MB message costs the scanner a megabyte of memory.
import { open, type FileHandle } from 'node:fs/promises';

export interface MessageBytes {
  readonly length: number;
  /** Where `needle` first lies wholly inside [from, end); -1 if nowhere. */
  indexOf(needle: Buffer, from: number, end: number): Promise<number>;
  /** A copy (or view) of a short stretch. */
  slice(start: number, end: number): Promise<Buffer>;
  /** The bytes of [start, end) in chunks, for decoding a body without holding it; each chunk is valid until the next is asked for. */
  chunks(start: number, end: number): AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** How much of a file is searched per step. */
const BLOCK = 1024 * 1024;
/**
 * How much of a body in memory is decoded per step: decoding base64 makes a string of it, held
 * outside the heap until a collection, and small steps keep those few and short-lived.
 */
const PIECE = 64 * 1024;

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
    return new FileBytes(handle, size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads go into one block buffer, reused: searching and decoding a 100 MB message would
 * otherwise leave a hundred megabytes of spent blocks for the collector.
 */
class FileBytes implements MessageBytes {
  private readonly block = Buffer.allocUnsafe(BLOCK);

  constructor(
    private readonly handle: FileHandle,
    readonly length: number,
  ) {}

  async indexOf(needle: Buffer, from: number, end: number): Promise<number> {
    const stop = Math.min(end, this.length);
    // Blocks overlap by the needle's length less one, so a needle across two blocks is found.
    for (let at = Math.max(0, from); at + needle.length <= stop; at += BLOCK - needle.length + 1) {
      const found = (await this.readBlock(at, Math.min(stop, at + BLOCK))).indexOf(needle);
      if (found !== -1) return at + found;
      if (at + BLOCK >= stop) break;
    }
    return -1;
  }

  async slice(start: number, end: number): Promise<Buffer> {
    return this.read(Buffer.allocUnsafe(Math.max(0, Math.min(end, this.length) - start)), start);
  }

  async *chunks(start: number, end: number): AsyncIterable<Buffer> {
    for (let at = start; at < end; at += PIECE) yield await this.readBlock(at, Math.min(end, at + PIECE));
  }

  /** [start, end) of the file in the block buffer (at most a block), valid until the next read. */
  private readBlock(start: number, end: number): Promise<Buffer> {
    return this.read(this.block.subarray(0, Math.max(0, Math.min(end, this.length, start + BLOCK) - start)), start);
  }

  /** Fills `into` from `start` on; what the file holds of it (less at its end). */
  private async read(into: Buffer, start: number): Promise<Buffer> {
    let read = 0;
    while (read < into.length) {
      const { bytesRead } = await this.handle.read(into, read, into.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return into.subarray(0, read);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
