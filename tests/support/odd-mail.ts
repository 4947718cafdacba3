// Messages that mail parsers have read wrong, byte for byte as the programs that send them
// write them, each with what an operator must see: uuencoded files (as a transfer encoding and
// inside a text), multipart/digest parts without a Content-Type, UTF-7 encoded words, raw 8-bit
// bytes inside encoded words, file names cut in the middle of a UTF-8 character, and part
// headers that run straight into the body.
import { bytes, CRLF, fakeFile, multipart, part, percent, SCHET_CP1251, textPart, type Bytes } from './mail-samples';

export interface ExpectedFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

export interface OddCase {
  title: string;
  raw: Buffer;
  subject?: string;
  /** The text as shown (mailparser ends a text on the body's last line ending). */
  text?: string | null;
  files: ExpectedFile[];
  problems: string[];
}

/**
 * uuencode as the classic encoders write it: 45 bytes a line, "`" for zero, an empty line "`"
 * before "end". Written out here so the tests do not depend on the decoder under test.
 */
export function uuencode(name: string, content: Buffer, eol = CRLF): string {
  const char = (v: number): string => String.fromCharCode(v === 0 ? 0x60 : v + 0x20);
  const lines = [`begin 644 ${name}`];
  for (let at = 0; at < content.length; at += 45) {
    const line = content.subarray(at, at + 45);
    let text = char(line.length);
    for (let i = 0; i < line.length; i += 3) {
      const [a = 0, b = 0, c = 0] = [line[i], line[i + 1], line[i + 2]];
      text += char(a >> 2) + char(((a & 3) << 4) | (b >> 4)) + char(((b & 15) << 2) | (c >> 6)) + char(c & 63);
    }
    lines.push(text);
  }
  lines.push('`', 'end');
  return lines.join(eol) + eol;
}

const HEAD: Bytes[][] = [['From: Client <client@example.test>'], ['To: operator@example.test'], ['Subject: odd mail'], ['MIME-Version: 1.0']];
const PHOTO = fakeFile('GIF89a', 3000);
const SCAN = fakeFile('\xff\xd8\xff\xe0', 2000);
const NOTE = Buffer.from('Cat\n');
const DOGOVOR = Buffer.from('Договор №5');

/** A message that is one text part (no MIME structure), as old mailers sent files. */
function plainMessage(body: string, eol = CRLF): Buffer {
  return Buffer.from([...HEAD.map((h) => h.join('')), 'Content-Type: text/plain; charset=us-ascii', '', body].join(eol), 'latin1');
}

function utf7Subject(encoding: 'Q' | 'B'): string {
  const utf7 = 'Hi +BCEERwRRBEI- +BBY-5';
  return `=?utf-7?${encoding}?${encoding === 'Q' ? utf7.replace(/ /g, '_') : Buffer.from(utf7).toString('base64')}?=`;
}

export function oddCases(): OddCase[] {
  return [
    ...(['x-uuencode', 'uuencode', 'x-uue'] as const).map(
      (encoding): OddCase => ({
        title: `a part with Content-Transfer-Encoding: ${encoding}`,
        raw: multipart(
          [textPart('The photo is attached.'), part([['Content-Type: image/gif; name="photo.gif"'], [`Content-Transfer-Encoding: ${encoding}`]], uuencode('photo.gif', PHOTO))],
          { head: HEAD },
        ),
        text: 'The photo is attached.',
        files: [{ fileName: 'photo.gif', mediaType: 'image/gif', content: PHOTO }],
        problems: [],
      }),
    ),
    {
      title: 'an x-uuencode part named only by its begin line, sent as application/octet-stream',
      raw: multipart([textPart('Scan attached.'), part([['Content-Type: application/octet-stream'], ['Content-Transfer-Encoding: x-uuencode']], uuencode('scan.jpg', SCAN))], {
        head: HEAD,
      }),
      text: 'Scan attached.',
      files: [{ fileName: 'scan.jpg', mediaType: 'image/jpeg', content: SCAN }],
      problems: [],
    },
    {
      title: 'begin 644 blocks inside a plain text body (no MIME structure)',
      raw: plainMessage(`Hello,\r\nhere are the files.\r\n\r\n${uuencode('photo.gif', PHOTO)}\r\nand the note:\r\n${uuencode('note.txt', NOTE)}Bye.\r\n`),
      text: 'Hello,\nhere are the files.\n\n\nand the note:\nBye.\n',
      files: [
        { fileName: 'photo.gif', mediaType: 'image/gif', content: PHOTO },
        { fileName: 'note.txt', mediaType: 'text/plain', content: NOTE },
      ],
      problems: [],
    },
    {
      title: 'a begin 644 block in the text part of a multipart, before its attachment, with LF line endings',
      raw: Buffer.from(
        multipart([textPart(`See the scan.\n${uuencode('scan.jpg', SCAN, '\n')}Thanks.`), part([['Content-Type: image/gif; name="photo.gif"'], ['Content-Transfer-Encoding: base64']], PHOTO.toString('base64'))], {
          head: HEAD,
        })
          .toString('latin1')
          .replace(/\r\n/g, '\n'),
        'latin1',
      ),
      text: 'See the scan.\nThanks.',
      files: [
        { fileName: 'scan.jpg', mediaType: 'image/jpeg', content: SCAN },
        { fileName: 'photo.gif', mediaType: 'image/gif', content: PHOTO },
      ],
      problems: [],
    },
    {
      title: 'a sentence that starts "begin 644 " stays text',
      raw: plainMessage('Please begin 644 tests now.\r\nbegin 644 of them today\r\nand report back.\r\n'),
      text: 'Please begin 644 tests now.\nbegin 644 of them today\nand report back.\n',
      files: [],
      problems: [],
    },
    {
      title: 'a begin 644 block cut off before its end line',
      raw: plainMessage(`The file:\r\n${uuencode('photo.gif', PHOTO).split(CRLF).slice(0, 20).join(CRLF)}\r\n`),
      text: 'The file:\n',
      files: [{ fileName: 'photo.gif', mediaType: 'image/gif', content: PHOTO.subarray(0, 19 * 45) }],
      problems: ['attachment 1 (photo.gif) could not be decoded completely: its uuencoded data ends without an "end" line'],
    },
    {
      title: 'multipart/digest parts without a Content-Type are messages (RFC 2046 5.1.5)',
      raw: multipart(
        [
          // An empty part header: the blank line comes first.
          bytes(CRLF, 'From: Anna <anna@example.test>', CRLF, 'Subject: First question', CRLF, CRLF, 'What are your hours?', CRLF),
          bytes(CRLF, 'From: Boris <boris@example.test>', CRLF, 'Subject: =?UTF-8?B?', Buffer.from('Второй вопрос').toString('base64'), '?=', CRLF, CRLF, 'Где мой заказ?', CRLF),
          part([['Content-Type: text/plain; charset=utf-8']], 'A part that says it is text stays text.'),
        ],
        { head: HEAD, subtype: 'digest' },
      ),
      text: 'A part that says it is text stays text.',
      files: [
        { fileName: 'First question.eml', mediaType: 'message/rfc822', content: Buffer.from('From: Anna <anna@example.test>\r\nSubject: First question\r\n\r\nWhat are your hours?\r\n') },
        {
          fileName: 'Второй вопрос.eml',
          mediaType: 'message/rfc822',
          content: bytes('From: Boris <boris@example.test>\r\nSubject: =?UTF-8?B?', Buffer.from('Второй вопрос').toString('base64'), '?=\r\n\r\nГде мой заказ?\r\n'),
        },
      ],
      problems: [],
    },
    {
      title: 'a Subject in a UTF-7 encoded word (Q)',
      raw: multipart([textPart('Hello')], { head: [...HEAD.slice(0, 2), [`Subject: ${utf7Subject('Q')}`], ['MIME-Version: 1.0']] }),
      subject: 'Hi Счёт Ж5',
      text: 'Hello',
      files: [],
      problems: [],
    },
    {
      title: 'a Subject in a UTF-7 encoded word (B) and a file name in one',
      raw: multipart(
        [textPart('Hello'), part([['Content-Type: application/pdf; name="=?UTF-7?B?', Buffer.from('+BCEERwRRBEI-.pdf').toString('base64'), '?="'], ['Content-Transfer-Encoding: base64']], PHOTO.toString('base64'))],
        { head: [...HEAD.slice(0, 2), [`Subject: ${utf7Subject('B').replace('utf-7', 'UTF-7')}`], ['MIME-Version: 1.0']] },
      ),
      subject: 'Hi Счёт Ж5',
      text: 'Hello',
      files: [{ fileName: 'Счёт.pdf', mediaType: 'application/pdf', content: PHOTO }],
      problems: [],
    },
    {
      title: 'raw windows-1251 bytes inside an encoded word, in the Subject and in a file name',
      raw: multipart(
        [textPart('Hello'), part([[bytes('Content-Type: application/pdf; name="=?windows-1251?Q?', SCHET_CP1251, '_5.pdf?="')], ['Content-Transfer-Encoding: base64']], PHOTO.toString('base64'))],
        { head: [...HEAD.slice(0, 2), [bytes('Subject: =?windows-1251?Q?', SCHET_CP1251, '_=B95?=')], ['MIME-Version: 1.0']] },
      ),
      subject: 'Счёт №5',
      text: 'Hello',
      files: [{ fileName: 'Счёт 5.pdf', mediaType: 'application/pdf', content: PHOTO }],
      problems: [],
    },
    {
      title: 'raw UTF-8 bytes inside a Q encoded word',
      raw: multipart([textPart('Hello')], { head: [...HEAD.slice(0, 2), [bytes('Subject: =?utf-8?Q?', Buffer.from('Счёт_№5'), '?=')], ['MIME-Version: 1.0']] }),
      subject: 'Счёт №5',
      text: 'Hello',
      files: [],
      problems: [],
    },
    ...[
      { how: 'in raw UTF-8 bytes', header: bytes('Content-Disposition: attachment; filename="', DOGOVOR.subarray(0, 9), '.pdf"') },
      { how: 'in RFC 2231', header: bytes(`Content-Disposition: attachment; filename*=utf-8''${percent(DOGOVOR.subarray(0, 9))}.pdf`) },
      { how: 'in an RFC 2047 word', header: bytes(`Content-Disposition: attachment; filename="=?utf-8?B?${DOGOVOR.subarray(0, 9).toString('base64')}?=.pdf"`) },
    ].map(
      ({ how, header }): OddCase => ({
        title: `a UTF-8 file name cut in the middle of a character, ${how}`,
        raw: multipart([textPart('Hello'), part([['Content-Type: application/pdf'], [header], ['Content-Transfer-Encoding: base64']], PHOTO.toString('base64'))], { head: HEAD }),
        text: 'Hello',
        files: [{ fileName: 'Дого.pdf', mediaType: 'application/pdf', content: PHOTO }],
        problems: [`attachment 1: the file name "Дого\uFFFD.pdf" has a character cut short (the sender's program shortened it), so that character was left out`],
      }),
    ),
    {
      title: 'part headers followed directly by the body, without a blank line',
      raw: bytes(
        ...HEAD.flatMap((h) => [...h, CRLF]),
        'Content-Type: multipart/mixed; boundary="b0undary"',
        CRLF,
        CRLF,
        '--b0undary\r\nContent-Type: text/plain; charset=utf-8\r\nThe body starts right here.\r\nSecond line.\r\n',
        '--b0undary\r\nContent-Type: image/gif; name="photo.gif"\r\nContent-Transfer-Encoding: base64\r\n',
        PHOTO.toString('base64'),
        '\r\n--b0undary--\r\n',
      ),
      text: 'The body starts right here.\nSecond line.',
      files: [{ fileName: 'photo.gif', mediaType: 'image/gif', content: PHOTO }],
      problems: ['2 part(s) have no blank line after their header; their body was read from the first line that is not a header field'],
    },
  ];
}
