// The small decoders under the parser, on the byte sequences that trip them: UTF-7 (RFC 2152),
// encoded words with raw 8-bit bytes or split characters, UTF-8 cut inside a character, and
// uuencode lines as Python's binascii.a2b_uu reads them.
import { describe, expect, it } from 'vitest';
import { decodeHeaderText } from '../../main/mail/encoded-words';
import { decodeHeaderBytes } from '../../main/mail/header-text';
import { beginLineName, decodeUuLine, isEndLine, UudecodeStream } from '../../main/mail/uudecode';
import { decodeUtf7, isUtf7 } from '../../main/mail/utf7';
import { uuencode } from '../support/odd-mail';

const latin1 = (b: Buffer): string => b.toString('latin1');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('decodeUtf7', () => {
  it.each([
    ['Hi Mom -+Jjo--!', 'Hi Mom -\u263a-!'], // RFC 2152's own examples
    ['+ZeVnLIqe-', '\u65e5\u672c\u8a9e'],
    ['A+ImIDkQ.', 'A\u2262\u0391.'],
    ['1 +- 1 = 2', '1 + 1 = 2'],
    ['+BCEERwRRBEI-', 'Счёт'],
    ['+2D3eAA-', '\u{1f600}'], // a surrogate pair
    ['plain text', 'plain text'],
    ['+BCEE', 'С'], // cut short: the whole units that are there
  ])('%s', (input, text) => {
    expect(decodeUtf7(ascii(input))).toBe(text);
  });

  it('knows UTF-7 under its names', () => {
    expect(['utf-7', 'UTF7', 'unicode-1-1-utf-7', 'csUnicode11UTF7'].every(isUtf7)).toBe(true);
    expect(['utf-8', 'utf-16', 'utf-7-imap'].some(isUtf7)).toBe(false);
  });
});

describe('decodeHeaderText', () => {
  const cp1251 = Buffer.from([0xd1, 0xf7, 0xb8, 0xf2]); // "Счёт"
  it.each([
    ['UTF-7 in Q', '=?utf-7?Q?Hi_+BCEERwRRBEI-?=', 'Hi Счёт'],
    ['UTF-7 in B', `=?UTF-7?B?${Buffer.from('+BCEERwRRBEI-').toString('base64')}?=`, 'Счёт'],
    ['raw windows-1251 inside a Q word', latin1(Buffer.concat([ascii('=?windows-1251?Q?'), cp1251, ascii('?=')])), 'Счёт'],
    ['raw UTF-8 inside a Q word', latin1(Buffer.concat([ascii('=?utf-8?Q?'), Buffer.from('Счёт_№5'), ascii('?=')])), 'Счёт №5'],
    ['a character split between two B words', `=?utf-8?B?${Buffer.from('Сч').subarray(0, 3).toString('base64')}?= =?UTF-8?B?${Buffer.from('Сч').subarray(3).toString('base64')}?=`, 'Сч'],
    ['a character split between two Q words', '=?utf-8?Q?=D0=A1=D1?=\r\n =?utf-8?Q?=87?=', 'Сч'],
    ['text and words together', 'Re: =?koi8-r?Q?=F3=DE=A3=D4?= 5', 'Re: Счёт 5'],
    ['blanks between words of different charsets', '=?koi8-r?Q?=F3?= =?windows-1251?Q?=F7?=', 'Сч'],
    ['several padded base64 groups in one word', '=?utf-8?B?0KE=0Yc=?=', 'Сч'],
    ['a charset nobody knows', '=?x-unknown?Q?abc?=', 'abc'],
    ['no words at all', 'Plain subject', 'Plain subject'],
  ])('%s', (_title, value, text) => {
    expect(decodeHeaderText(value, []).text).toBe(text);
  });

  it('reads raw 8-bit bytes outside words in the declared charset, and says when it guessed', () => {
    expect(decodeHeaderText(latin1(Buffer.concat([cp1251, ascii(' 5')])), ['windows-1251'])).toEqual({ text: 'Счёт 5', charset: 'windows-1251', guessed: false });
    expect(decodeHeaderText(latin1(Buffer.concat([cp1251, ascii(' 5')])), [])).toEqual({ text: 'Счёт 5', charset: 'windows-1251', guessed: true });
  });
});

describe('decodeHeaderBytes with UTF-8 cut inside a character', () => {
  const dogovor = Buffer.from('Договор №5.pdf');
  it('keeps the name and marks only the cut character', () => {
    const cut = Buffer.concat([dogovor.subarray(0, 9), ascii('.pdf')]);
    expect(decodeHeaderBytes(cut, [])).toEqual({ text: 'Дого\uFFFD.pdf', charset: null, guessed: false });
  });

  it('does not take legacy 8-bit text for cut UTF-8', () => {
    const schet = Buffer.from([0xd1, 0xf7, 0xe5, 0xf2]); // "Счет" in windows-1251: every byte looks like a cut lead byte
    expect(decodeHeaderBytes(schet, ['windows-1251']).text).toBe('Счет');
    // Two cut characters are no longer "a name cut short".
    expect(decodeHeaderBytes(Buffer.concat([Buffer.from('До'), Buffer.from([0xd0]), ascii('x'), Buffer.from([0xd0])]), ['windows-1251']).charset).toBe('windows-1251');
  });
});

describe('uuencode lines', () => {
  it('reads begin and end lines', () => {
    expect(beginLineName(ascii('begin 644 photo.gif\r\n'))).toEqual(ascii('photo.gif'));
    expect(beginLineName(ascii('begin 0755 my file.tar.gz\n'))).toEqual(ascii('my file.tar.gz'));
    expect(beginLineName(ascii('begin 644\n'))).toEqual(Buffer.alloc(0));
    expect(beginLineName(ascii('begin the work\n'))).toBeNull();
    expect(beginLineName(ascii('begin 648 x\n'))).toBeNull();
    expect([' end \r\n', 'end\n', 'end'].every((l) => isEndLine(ascii(l)))).toBe(true);
    expect(isEndLine(ascii('ending\n'))).toBe(false);
  });

  // Each expected value is Python's binascii.a2b_uu of the same line.
  it.each([
    ['#0V%T', 'Cat'],
    ['#0V%T\r\n', 'Cat'],
    ['#0V%T`', 'Cat'], // padding after the data
    ['#0V', 'C`\u0000'], // blanks stripped in transport: missing characters are zero
    ['`', ''],
    ['#0V%T!!!', 'Cat'], // more than the count needs: cut, as Python's email does
  ])('%j', (line, bytes) => {
    expect(decodeUuLine(ascii(line))).toEqual(ascii(bytes));
  });

  it('refuses what is not a data line', () => {
    expect(decodeUuLine(ascii('hello world'))).toBeNull(); // lowercase is outside the alphabet
    expect(decodeUuLine(ascii('\r\n'))).toBeNull();
  });

  it('decodes a content stream, and keeps it as it came when it has no begin line', async () => {
    const content = Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 7) % 256));
    const decode = async (input: string): Promise<{ bytes: Buffer; stream: UudecodeStream }> => {
      const stream = new UudecodeStream();
      const out: Buffer[] = [];
      stream.on('data', (c: Buffer) => out.push(c));
      // Fed in pieces of 5 bytes, lines split anywhere.
      for (let i = 0; i < input.length; i += 5) stream.write(ascii(input.slice(i, i + 5)));
      stream.end();
      await new Promise((resolve) => stream.on('end', resolve));
      return { bytes: Buffer.concat(out), stream };
    };
    const decoded = await decode(`junk before\r\n${uuencode('data.bin', content)}trailing text\r\n`);
    expect(decoded.bytes.equals(content)).toBe(true);
    expect(decoded.stream.name).toEqual(ascii('data.bin'));
    expect(decoded.stream.problem).toBeNull();

    const raw = 'This part says uuencode but is plain text.\r\nNo begin line.\r\n';
    const kept = await decode(raw);
    expect(latin1(kept.bytes)).toBe(raw);
    expect(kept.stream.problem).toBe('its uuencoded data has no "begin" line, so it was kept as it came');

    const cut = await decode(uuencode('data.bin', content).split('\r\n').slice(0, 5).join('\r\n'));
    expect(cut.bytes.equals(content.subarray(0, 4 * 45))).toBe(true);
    expect(cut.stream.problem).toBe('its uuencoded data ends without an "end" line');
  });
});
