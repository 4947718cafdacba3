// UTF-7 (RFC 2152), for encoded words such as =?utf-7?Q?Hi_+BCEENwRR-?= that some old mailers
// still write. libmime refuses UTF-7 on purpose (in a body it can smuggle "<script>" past a
// filter that looks for "<"), so header text in it stayed encoded. Header text is shown as text,
// never as markup, so decoding it here is safe; bodies in UTF-7 stay refused by mailparser.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < BASE64.length; i++) VALUE[BASE64.charCodeAt(i)] = i;
const PLUS = 0x2b;
const MINUS = 0x2d;

/** "utf-7", "UTF7", "unicode-1-1-utf-7": the names a charset parameter gives UTF-7 under. */
export function isUtf7(charset: string): boolean {
  return /^(?:(?:cs)?unicode11)?utf7$/.test(charset.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * The text of UTF-7 bytes. "+" starts a run of modified base64 holding UTF-16 code units, ended
 * by the first byte outside the alphabet ("-" is absorbed); "+-" is a plus sign. Bits left over
 * at the end of a run (fewer than 16) are padding and dropped, as the RFC says.
 */
export function decodeUtf7(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte !== PLUS) {
      out += String.fromCharCode(byte);
      i++;
      continue;
    }
    i++;
    if (bytes[i] === MINUS) {
      out += '+';
      i++;
      continue;
    }
    let bits = 0;
    let bitCount = 0;
    const units: number[] = [];
    while (i < bytes.length && VALUE[bytes[i]!]! >= 0) {
      bits = ((bits << 6) | VALUE[bytes[i]!]!) & 0xffffff;
      bitCount += 6;
      if (bitCount >= 16) {
        bitCount -= 16;
        units.push((bits >> bitCount) & 0xffff);
      }
      i++;
    }
    if (bytes[i] === MINUS) i++;
    // In slices: a header can hold enough units to overflow the arguments of one call.
    for (let at = 0; at < units.length; at += 4096) out += String.fromCharCode(...units.slice(at, at + 4096));
  }
  return out;
}
