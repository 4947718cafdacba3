// A blob that is not a file of its own: an attachment of a received message, kept only as the
// byte range of its body in the raw message (which is stored anyway, for Save original). Reading
// it decodes that range on the way, streaming; the key is still the SHA-256 of the decoded
// bytes, computed at ingest, so dedupe and every reader that asks by key work as for a file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
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

/** The bytes decoded do not hash to the key they were stored under: the raw message on disk is damaged. */
export class DamagedBlob extends Error {}

/**
 * The decoded bytes of `blob`, or of [start, end] of them (inclusive, as fs streams count).
 * `rawFile` is the raw message's file. A whole read is checked against `key` (the SHA-256
 * computed at ingest) as it goes, and fails at its end rather than hand over different bytes.
 */
export function openDerived(rawFile: string, blob: DerivedBlob, options: { start?: number; end?: number; chunkSize?: number; key?: string } = {}): Readable {
  const from = Math.max(0, options.start ?? 0);
  const to = Math.min(blob.size - 1, options.end ?? blob.size - 1);
  if (to < from) return Readable.from([]);
  const whole = from === 0 && to === blob.size - 1;
  const { encoded, skip } = seek(blob, from);
  // Where the encoded bytes of `to` end, when it can be told: past it nothing needs reading.
  const last = blob.encoding === 'identity' ? blob.start + to + 1 : blob.encoding === 'base64' && blob.line ? blob.start + base64Position(blob.line, to).encoded + 4 : blob.end;
  const readEnd = Math.min(blob.end, last);
  const raw = createReadStream(rawFile, { start: blob.start + encoded, end: readEnd - 1, highWaterMark: options.chunkSize });
  const decoded = decodingStream(blob.encoding, skip, to - from + 1);
  raw.on('error', (error) => decoded.destroy(error));
  const out = raw.pipe(decoded);
  if (!whole || options.key === undefined) return out;
  const checked = checkedAgainst(options.key);
  out.on('error', (error) => checked.destroy(error));
  return out.pipe(checked);
}

function checkedAgainst(key: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const found = hash.digest('hex');
      done(found === key ? null : new DamagedBlob(`the file's bytes are not those received (SHA-256 ${found.slice(0, 12)}…, not ${key.slice(0, 12)}…): its original message on disk is damaged`));
    },
  });
}

/** Where in the encoded body reading starts for decoded byte `offset`, and how much decoded output to drop first. */
function seek(blob: DerivedBlob, offset: number): { encoded: number; skip: number } {
  if (offset === 0) return { encoded: 0, skip: 0 };
  if (blob.encoding === 'identity') return { encoded: offset, skip: 0 };
  if (blob.encoding === 'base64' && blob.line) return base64Position(blob.line, offset);
  return { encoded: 0, skip: offset };
}
