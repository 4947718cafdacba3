// Width and height from an image's header, for the formats an operator may send. file-type
// tells the format from a few magic bytes; a file with those bytes and nothing readable after
// them is no picture (a viewer shows an error, a mail gateway may be fooled), so the policy asks
// for the size too. This reads headers only; it decodes no pixels.
import { crc32 } from 'node:zlib';

export interface ImageSize {
  width: number;
  height: number;
}

export type HeaderFormat = 'png' | 'jpeg' | 'bmp' | 'gif' | 'webp';

/** The size the header declares, or null when the header is cut off or malformed. */
export function imageSize(format: HeaderFormat, head: Buffer): ImageSize | null {
  const size = READERS[format](head);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

const READERS: Record<HeaderFormat, (b: Buffer) => ImageSize | null> = {
  png: pngSize,
  jpeg: jpegSize,
  bmp: bmpSize,
  gif: gifSize,
  webp: webpSize,
};

/** The signature, then IHDR as the first chunk (length 13), whose CRC must match. */
function pngSize(b: Buffer): ImageSize | null {
  if (b.length < 33 || b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the marker segments after SOI until a start-of-frame, which holds the size. */
function jpegSize(b: Buffer): ImageSize | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    // Fill bytes, and the standalone markers that carry no length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // Start of scan or end of image before any frame header: there is no size.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = b.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return null;
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

/** BITMAPCOREHEADER (12 bytes, 16-bit sizes) or a later one (32-bit, height negative when top-down). */
function bmpSize(b: Buffer): ImageSize | null {
  if (b.length < 26) return null;
  const dib = b.readUInt32LE(14);
  const pixels = b.readUInt32LE(10);
  if (pixels < 14 + dib || pixels > b.length) return null;
  if (dib === 12) return { width: b.readUInt16LE(18), height: b.readUInt16LE(20) };
  if (![16, 40, 52, 56, 64, 108, 124].includes(dib)) return null;
  return { width: b.readInt32LE(18), height: Math.abs(b.readInt32LE(22)) };
}

/** The logical screen descriptor follows the six-byte signature. */
function gifSize(b: Buffer): ImageSize | null {
  if (b.length < 13) return null;
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
}

/** RIFF/WEBP, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk. */
function webpSize(b: Buffer): ImageSize | null {
  if (b.length < 30) return null;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}
