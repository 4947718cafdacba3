import { randomBytes } from 'node:crypto';
import crc32 from 'crc-32';
import { describe, expect, it } from 'vitest';
import { useNativeCrc32 } from '../../main/files/native-crc32';

describe('the native CRC-32 behind archiver', () => {
  const javascript = crc32.buf;
  useNativeCrc32();

  it('gives what crc-32 gives, in one piece and chunk by chunk with the running seed', () => {
    expect(crc32.buf).not.toBe(javascript);
    const data = randomBytes(3 * 1024 * 1024 + 17);
    expect(crc32.buf(data)).toBe(javascript(data));
    let native = 0;
    let reference = 0;
    for (let i = 0; i < data.length; i += 65_536) {
      native = crc32.buf(data.subarray(i, i + 65_536), native) >>> 0;
      reference = javascript(data.subarray(i, i + 65_536), reference) >>> 0;
    }
    expect(native).toBe(reference);
    expect(crc32.buf(Buffer.from('123456789')) >>> 0).toBe(0xcbf43926);
    expect(crc32.buf(Buffer.alloc(0))).toBe(0);
  });

  it('reads a Buffer passed as the first seed (as crc32-stream does) as 0, like crc-32', () => {
    const data = Buffer.from('Счёт №7.pdf');
    const seed = Buffer.alloc(4) as unknown as number;
    expect(crc32.buf(data, seed)).toBe(javascript(data, seed));
  });
});
