// Raw messages byte for byte as mail programs write them, for the parsing tests: builders for
// headers, parts and multiparts (raw 8-bit header bytes included), and the file-name cases.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export type Bytes = string | Buffer;

/** A raw message as a network or file stream delivers it: in pieces of `chunkSize` bytes. */
export function inPieces(raw: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < raw.length; i += chunkSize) chunks.push(raw.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}
export const CRLF = '\r\n';

/** Strings become UTF-8; a Buffer is taken as is (raw 8-bit header bytes). */
export function bytes(...pieces: Bytes[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

/** Header lines (each a string or raw bytes, without line ending), a blank line, the body. */
export function part(headers: Bytes[][], body: Bytes): Buffer {
  return bytes(...headers.flatMap((h) => [...h, CRLF]), CRLF, body);
}

/** A base64 file part; `headers` say what it is called. */
export function filePart(headers: Bytes[][], content: Buffer): Buffer {
  return part([...headers, ['Content-Transfer-Encoding: base64']], base64Lines(content));
}

export function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

export function textPart(text = 'Hello from the client.', charset = 'utf-8'): Buffer {
  return part([[`Content-Type: text/plain; charset=${charset}`]], text);
}

export const ENVELOPE: Bytes[][] = [['From: Client <client@example.test>'], ['To: operator@example.test'], ['Subject: test'], ['MIME-Version: 1.0']];

export interface MultipartOptions {
  head?: Bytes[][];
  subtype?: string;
  boundary?: string;
  /** false: leave out the closing delimiter */
  close?: boolean;
}

export function multipart(parts: Buffer[], opts: MultipartOptions = {}): Buffer {
  const boundary = opts.boundary ?? 'b0undary';
  const head = opts.head ?? ENVELOPE;
  return bytes(
    ...head.flatMap((h) => [...h, CRLF]),
    `Content-Type: multipart/${opts.subtype ?? 'mixed'}; boundary="${boundary}"${CRLF}${CRLF}`,
    ...parts.flatMap((p) => [`--${boundary}${CRLF}`, p, CRLF]),
    opts.close === false ? '' : `--${boundary}--${CRLF}`,
  );
}

/** A nested multipart as a part of another one. */
export function nested(subtype: string, boundary: string, parts: Buffer[]): Buffer {
  return multipart(parts, { head: [], subtype, boundary });
}

export function percent(data: Buffer): string {
  return [...data].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

export function fakeFile(kind: string, size = 4000): Buffer {
  return Buffer.concat([Buffer.from(`${kind}\n`), randomBytes(size)]);
}

// Legacy-charset bytes, written out so the test does not depend on the decoder under test.
export const SCHET_CP1251 = Buffer.from([0xd1, 0xf7, 0xb8, 0xf2]); // "Счёт" in windows-1251
export const SCHET_KOI8R = Buffer.from([0xf3, 0xde, 0xa3, 0xd4]); // "Счёт" in koi8-r
export const DOGOVOR_CP1251 = Buffer.from([0xc4, 0xee, 0xe3, 0xee, 0xe2, 0xee, 0xf0, 0x20, 0xb9, 0x35]); // "Договор №5"
export const IVAN_CP1251 = Buffer.from([0xc8, 0xe2, 0xe0, 0xed]); // "Иван"
export const DOGOVOR = 'Договор №5.pdf';

export interface NameCase {
  title: string;
  headers: Bytes[][];
  name: string;
  /** The charset of the message's text part. */
  bodyCharset?: string;
  problems?: string[];
}

const dogovorUtf8 = Buffer.from('Договор №5');
export const NAME_CASES: NameCase[] = [
  {
    title: "RFC 2231 (filename*=utf-8''…)",
    headers: [['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename*=utf-8''${percent(Buffer.from(DOGOVOR))}`]],
    name: DOGOVOR,
  },
  {
    title: 'RFC 2231 continuations split inside a character (filename*0*=, filename*1*=)',
    headers: [
      ['Content-Type: application/pdf'],
      ['Content-Disposition: attachment;'],
      [`\tfilename*0*=utf-8''${percent(dogovorUtf8.subarray(0, 5))};`],
      [`\tfilename*1*=${percent(dogovorUtf8.subarray(5))};`],
      ['\tfilename*2=".pdf"'],
    ],
    name: DOGOVOR,
  },
  {
    title: 'RFC 2047 in name= and filename= (Outlook)',
    headers: [
      [`Content-Type: application/pdf; name="=?utf-8?B?${Buffer.from(DOGOVOR).toString('base64')}?="`],
      [`Content-Disposition: attachment; filename="=?utf-8?B?${Buffer.from(DOGOVOR).toString('base64')}?="`],
    ],
    name: DOGOVOR,
  },
  {
    title: 'RFC 2047 split over folded encoded words (Gmail)',
    headers: [
      ['Content-Type: application/pdf;'],
      [`\tname="=?UTF-8?B?${Buffer.from('Договор ').toString('base64')}?=`],
      [` =?UTF-8?B?${Buffer.from('№5.pdf').toString('base64')}?="`],
      [`Content-Disposition: attachment; filename="=?UTF-8?B?${Buffer.from('Договор ').toString('base64')}?= =?UTF-8?B?${Buffer.from('№5.pdf').toString('base64')}?="`],
    ],
    name: DOGOVOR,
  },
  {
    title: 'raw UTF-8 bytes in the header',
    headers: [['Content-Type: application/pdf; name="', Buffer.from(DOGOVOR), '"'], ['Content-Disposition: attachment; filename="', Buffer.from(DOGOVOR), '"']],
    name: DOGOVOR,
  },
  {
    title: 'RFC 2047 in windows-1251',
    headers: [['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename="=?windows-1251?B?${bytes(SCHET_CP1251, '.pdf').toString('base64')}?="`]],
    name: 'Счёт.pdf',
  },
  {
    title: 'RFC 2047 in koi8-r (Q encoding)',
    headers: [['Content-Type: application/pdf; name="=?koi8-r?Q?=F3=DE=A3=D4.pdf?="']],
    name: 'Счёт.pdf',
  },
  {
    title: 'RFC 2231 in windows-1251',
    headers: [['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename*=windows-1251''${percent(DOGOVOR_CP1251)}.pdf`]],
    name: DOGOVOR,
  },
  {
    title: 'RFC 2231 in koi8-r',
    headers: [['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename*=koi8-r''${percent(SCHET_KOI8R)}.pdf`]],
    name: 'Счёт.pdf',
  },
  {
    title: 'raw windows-1251 bytes, read in the charset of the message text',
    headers: [['Content-Type: application/pdf; name="', DOGOVOR_CP1251, '.pdf"'], ['Content-Disposition: attachment; filename="', DOGOVOR_CP1251, '.pdf"']],
    bodyCharset: 'windows-1251',
    name: DOGOVOR,
  },
  {
    title: 'raw koi8-r bytes, read in the charset of the message text',
    headers: [['Content-Type: application/pdf'], ['Content-Disposition: attachment; filename="', SCHET_KOI8R, '.pdf"']],
    bodyCharset: 'KOI8-R',
    name: 'Счёт.pdf',
  },
  {
    title: 'raw koi8-r bytes, read in the charset of the part itself',
    headers: [['Content-Type: text/plain; charset=koi8-r; name="', SCHET_KOI8R, '.txt"'], ['Content-Disposition: attachment']],
    name: 'Счёт.txt',
  },
  {
    title: 'raw 8-bit bytes with no charset declared anywhere: windows-1251, with a note',
    headers: [['Content-Type: application/pdf'], ['Content-Disposition: attachment; filename="', SCHET_CP1251, '.pdf"']],
    bodyCharset: 'us-ascii',
    name: 'Счёт.pdf',
    problems: ['attachment 1: the file name was written in raw 8-bit bytes without a declared charset and was read as windows-1251'],
  },
  {
    title: 'a Latin-1 name from RFC 2231 is not mistaken for raw bytes',
    headers: [['Content-Type: application/pdf'], ["Content-Disposition: attachment; filename*=iso-8859-1''caf%E9.pdf"]],
    bodyCharset: 'windows-1251',
    name: 'café.pdf',
  },
  {
    title: 'a raw UTF-8 Latin name is not mistaken for raw legacy bytes',
    headers: [['Content-Type: application/pdf'], ['Content-Disposition: attachment; filename="café.pdf"']],
    bodyCharset: 'windows-1251',
    name: 'café.pdf',
  },
];
