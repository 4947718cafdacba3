// A blob that is not a file of its own: an attachment of a received message, kept only as the
// byte range of its body in the raw message (which is stored anyway, for Save original). Reading
// it decodes that range on the way, streaming; the key is still the SHA-256 of the decoded
// bytes, computed at ingest, so dedupe and every reader that asks by key work as for a file.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { base64Position, decodingStream, type LineLayout, type TransferEncoding } from './transfer-encoding';

/** Where an attachment's encoded body lies in its raw message, and how it is encoded. */
export interface PartRange {
  start: number;
  /** Exclusive. */
  end: number;
  encoding: TransferEncoding;
  /** The base64 line layout when every full line is one length: reads from the middle seek to it. */
  line: LineLayout | null;
}

/** A derived blob as the attachments table records it. */
export interface DerivedBlob extends PartRange {
  /** The raw message's blob key. */
  rawKey: string;
  /** Decoded size. */
  size: number;
}

/** Finds the range a key can be read from, or undefined when no stored message holds it. */
export type DerivedBlobs = (key: string) => DerivedBlob | undefined;

/**
 * The decoded bytes of `blob`, or of [start, end] of them (inclusive, as fs streams count).
 * `rawFile` is the raw message's file.
 */
export function openDerived(rawFile: string, blob: DerivedBlob, options: { start?: number; end?: number; chunkSize?: number } = {}): Readable {
  const from = Math.max(0, options.start ?? 0);
  const to = Math.min(blob.size - 1, options.end ?? blob.size - 1);
  if (to < from) return Readable.from([]);
  const { encoded, skip } = seek(blob, from);
  // Where the encoded bytes of `to` end, when it can be told: past it nothing needs reading.
  const last = blob.encoding === 'identity' ? blob.start + to + 1 : blob.encoding === 'base64' && blob.line ? blob.start + base64Position(blob.line, to).encoded + 4 : blob.end;
  const readEnd = Math.min(blob.end, last);
  const raw = createReadStream(rawFile, { start: blob.start + encoded, end: readEnd - 1, highWaterMark: options.chunkSize });
  const decoded = decodingStream(blob.encoding, skip, to - from + 1);
  raw.on('error', (error) => decoded.destroy(error));
  return raw.pipe(decoded);
}

/** Where in the encoded body reading starts for decoded byte `offset`, and how much decoded output to drop first. */
function seek(blob: DerivedBlob, offset: number): { encoded: number; skip: number } {
  if (offset === 0) return { encoded: 0, skip: 0 };
  if (blob.encoding === 'identity') return { encoded: offset, skip: 0 };
  if (blob.encoding === 'base64' && blob.line) return base64Position(blob.line, offset);
  return { encoded: 0, skip: offset };
}
