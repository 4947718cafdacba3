// archiver computes every entry's CRC-32 through the crc-32 package, in JavaScript: a quarter of
// the time of a ZIP of photos and PDFs, which are stored, not compressed. Node's zlib.crc32 is
// the same checksum (IEEE polynomial) in native code, several times faster. archiver's streams
// look crc32.buf up on each call, so replacing that one function on the shared module is enough.
import crc32 from 'crc-32';
import { crc32 as nativeCrc32 } from 'node:zlib';

let installed = false;

export function useNativeCrc32(): void {
  if (installed) return;
  installed = true;
  // crc-32 takes and returns signed 32-bit numbers; its callers also pass a Buffer as the very
  // first seed (crc32-stream), which crc-32 reads as 0.
  crc32.buf = (data: Uint8Array | number[], seed?: number) =>
    nativeCrc32(data instanceof Uint8Array ? data : Uint8Array.from(data), typeof seed === 'number' ? seed >>> 0 : 0) | 0;
}
