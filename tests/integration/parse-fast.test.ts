// parseMessageFast against parseMessage: for every message, whatever the fast path returns
// (when it does not step aside with null) must equal what parseMessage returns, blob keys
// included, and its blobs must be in its own store. Well-formed messages from real composers
// must take the fast path; damaged ones must not.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore, type StoredBlob } from '../../main/files/blob-store';
import { parseMessageFast } from '../../main/mail/parse-fast';
import { parseMessage, type ParsedMessage } from '../../main/mail/parse-message';
import { buildMessage } from '../support/mail-builder';
import {
  base64Lines,
  bytes,
  DOGOVOR,
  DOGOVOR_CP1251,
  fakeFile,
  filePart,
  inPieces,
  IVAN_CP1251,
  multipart,
  NAME_CASES,
  nested,
  part,
  percent,
  SCHET_CP1251,
  textPart,
} from '../support/mail-samples';
import { EMPTY_FILE, startMailPrograms, type MailPrograms } from '../support/mail-programs';
import { sha256 } from '../support/sample-files';
import { readFromRange, withoutRanges } from '../support/ranges';
import { tempDir } from '../support/temp-dir';

const temp = tempDir('postdesk-parse-fast-');
let slowStore: BlobStore;
let fastStore: BlobStore;

beforeAll(async () => {
  slowStore = new BlobStore(path.join(temp.dir, 'slow'));
  fastStore = new BlobStore(path.join(temp.dir, 'fast'));
  await Promise.all([slowStore.init(), fastStore.init()]);
});
afterAll(() => temp.cleanup());

// ---- comparing the two paths ----------------------------------------------------------------

/** Whether the fast path must take the message or must step aside (null). */
type Expected = 'taken' | 'refused';

interface Sample {
  title: string;
  raw: Buffer;
  expected: Expected;
}

/** parseMessage as ingest runs it: the message streamed from a file, 64 KiB at a time. */
function parseSlow(raw: Buffer): Promise<ParsedMessage> {
  return parseMessage(inPieces(raw, 64 * 1024), slowStore);
}

/** Parses with both paths; when the fast one answers, its answer is the slow one's, and its blobs are stored. */
async function compare(raw: Buffer): Promise<{ slow: ParsedMessage; fast: ParsedMessage | null }> {
  const slow = await parseSlow(raw);
  const fast = await parseMessageFast(raw, fastStore);
  if (fast) {
    expect(withoutRanges(fast)).toEqual(slow);
    // Nothing was stored: each file is read from its range of the raw message, as the blob store reads it.
    for (const attachment of fast.attachments) {
      const bytes = await readFromRange(raw, attachment);
      expect(sha256(bytes)).toBe(attachment.blobKey);
      expect(bytes.equals(readFileSync(slowStore.pathOf(attachment.blobKey)))).toBe(true);
    }
  }
  return { slow, fast };
}

async function expectSample({ raw, expected }: Sample): Promise<void> {
  const { fast } = await compare(raw);
  if (expected === 'taken') expect(fast).not.toBeNull();
  else expect(fast).toBeNull();
}

// ---- the messages of parse-message.test.ts --------------------------------------------------

/** Each raw message parse-message.test.ts parses, built the same way. */
function parseMessageSamples(): Sample[] {
  const cut = fakeFile('%PDF-1.4', 3000);
  const twoFiles = multipart([
    textPart('Two files.'),
    filePart([['Content-Type: application/pdf; name="one.pdf"']], fakeFile('%PDF-1.4', 3000)),
    filePart([['Content-Type: image/gif; name="two.gif"']], fakeFile('GIF89a', 3000)),
  ]);
  const unsafeNames = ['../../etc/passwd', 'C:\\Windows\\evil.exe', 'a\u0000b\u0007c\u009f.pdf', 'invoice\u202Efdp.exe', '  report.pdf  ', '..'];
  const nameless = ['application/pdf', 'image/png', 'application/x-postdesk-unknown', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];
  const inner = multipart([textPart('Inner text.'), filePart([['Content-Type: image/png; name="inner.png"']], fakeFile('\x89PNG'))], {
    head: [['From: Boss <boss@example.test>'], ['Subject: =?UTF-8?B?' + Buffer.from('Отчёт 5/2024').toString('base64') + '?='], ['MIME-Version: 1.0']],
    boundary: 'inner',
  });
  return [
    {
      title: 'the envelope fields as written',
      expected: 'taken',
      raw: multipart([textPart('Hi there.')], {
        head: [
          ['Message-ID: <m1@Client.Example.TEST>'],
          ['In-Reply-To: <m0@postdesk.test>'],
          ['References: <r1@x.test>', '\r\n', '\t<r2@x.test> <m0@postdesk.test>'],
          [`From: =?UTF-8?B?${Buffer.from('Иван Петров').toString('base64')}?= <Ivan.Petrov@Example.TEST>`],
          ['Reply-To: Desk <desk@xn--e1afmkfd.xn--p1ai>'],
          ['To: operator@example.test, Team: a@example.test, b@example.test;'],
          ['Subject: =?UTF-8?Q?=D0=A1=D1=87=D1=91=D1=82_=E2=84=965?='],
          ['Date: Tue, 05 Mar 2024 10:15:00 +0300'],
        ],
      }),
    },
    {
      title: 'a raw windows-1251 Subject and sender name',
      expected: 'refused',
      raw: part(
        [[bytes('From: "', IVAN_CP1251, '" <ivan@example.test>')], [bytes('Subject: ', SCHET_CP1251, ' 5')], ['Content-Type: text/plain; charset=windows-1251']],
        bytes(SCHET_CP1251, ' attached'),
      ),
    },
    {
      title: 'an unreadable Date and no From',
      expected: 'refused',
      raw: part([['Subject: no sender'], ['Date: the day after tomorrow'], ['Message-ID: bare-id@client.test']], 'text'),
    },
    ...NAME_CASES.map(({ title, headers, bodyCharset, problems }): Sample => {
      // Raw legacy-charset bytes are read by guesswork; problems send a message to the slow path.
      const legacyBytes = headers.flat().some((piece) => typeof piece !== 'string' && !isUtf8(piece));
      return {
        title: `file name: ${title}`,
        expected: legacyBytes || problems ? 'refused' : 'taken',
        raw: multipart([textPart('Hello', bodyCharset), filePart(headers, fakeFile('%PDF-1.4'))]),
      };
    }),
    {
      title: 'names that need making safe',
      expected: 'refused',
      raw: multipart([
        textPart(),
        ...unsafeNames.map((name) => filePart([['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename*=utf-8''${percent(Buffer.from(name))}`]], fakeFile(name))),
        filePart([['Content-Type: application/octet-stream; name="C:\\\\Users\\\\x\\\\..\\\\evil.exe"']], fakeFile('quoted')),
      ]),
    },
    {
      title: 'parts without a name',
      expected: 'taken',
      raw: multipart([textPart(), ...nameless.map((type) => filePart([[`Content-Type: ${type}`]], fakeFile(type)))]),
    },
    {
      title: 'text, html with cid: links, an inline image and a file',
      expected: 'taken',
      raw: multipart([
        nested('related', 'rel', [
          nested('alternative', 'alt', [textPart('Hello, [logo]'), part([['Content-Type: text/html; charset=utf-8']], '<p>Hello, <img src="cid:logo@client.test" alt="logo"></p>')]),
          filePart([['Content-Type: image/png; name="logo.png"'], ['Content-ID: <logo@client.test>'], ['Content-Disposition: inline; filename="logo.png"']], fakeFile('\x89PNG', 500)),
        ]),
        filePart([['Content-Type: application/pdf; name="contract.pdf"'], ['Content-Disposition: attachment; filename="contract.pdf"']], fakeFile('%PDF-1.7')),
      ]),
    },
    {
      title: 'base64 cut in the middle of a group',
      expected: 'refused',
      raw: multipart([
        nested('alternative', 'alt', [textPart('See attached.'), part([['Content-Type: text/html']], '<p>See attached.</p>')]),
        part([['Content-Type: application/pdf; name="cut.pdf"'], ['Content-Transfer-Encoding: base64']], base64Lines(cut).slice(0, 1001)),
        filePart([['Content-Type: application/zip; name="whole.zip"']], fakeFile('PK', 2000)),
      ]),
    },
    { title: 'a message cut off inside an attachment', expected: 'refused', raw: twoFiles.subarray(0, twoFiles.indexOf('two.gif') + 2000) },
    {
      title: 'a multipart without its closing delimiter',
      expected: 'refused',
      raw: multipart(
        [textPart('No closing line.'), filePart([['Content-Type: application/pdf; name="a.pdf"']], fakeFile('%PDF-1.4')), filePart([['Content-Type: image/png; name="b.png"']], fakeFile('\x89PNG'))],
        { close: false },
      ),
    },
    {
      title: 'a 0-byte attachment',
      expected: 'refused',
      raw: multipart([
        textPart(),
        part([['Content-Type: text/plain; name="empty.txt"'], ['Content-Disposition: attachment; filename="empty.txt"']], ''),
        filePart([['Content-Type: application/pdf; name="after.pdf"']], fakeFile('after')),
      ]),
    },
    {
      title: 'forwarded message/rfc822 parts',
      expected: 'refused',
      raw: multipart([
        textPart('Forwarding two.'),
        part([['Content-Type: message/rfc822']], inner),
        part([['Content-Type: message/rfc822'], ['Content-Disposition: inline; filename="original.eml"']], 'From: a@example.test\r\nSubject: named\r\n\r\nbody\r\n'),
      ]),
    },
    {
      title: '500 attachments',
      expected: 'refused',
      raw: multipart([
        textPart(),
        ...Array.from({ length: 500 }, (_, i) =>
          filePart([[`Content-Type: application/octet-stream; name="file-${String(i + 1).padStart(3, '0')}.bin"`]], Buffer.from(`file ${i + 1}\n${'x'.repeat(i)}`)),
        ),
      ]),
    },
    {
      title: 'a raw windows-1251 name, an empty file and a cut image',
      expected: 'refused',
      raw: multipart([
        textPart('Small pieces.', 'windows-1251'),
        filePart([['Content-Type: application/pdf'], ['Content-Disposition: attachment; filename="', DOGOVOR_CP1251, '.pdf"']], fakeFile('%PDF-1.4', 1500)),
        part([['Content-Type: text/plain; name="empty.txt"'], ['Content-Disposition: attachment']], ''),
        part([['Content-Type: text/plain; name="two-lines.txt"'], ['Content-Disposition: attachment']], 'one\r\ntwo\r\n'),
        part([['Content-Type: image/png; name="cut.png"'], ['Content-Transfer-Encoding: base64']], 'iVBORw0KGgo='.slice(0, 7)),
      ]),
    },
    ...[1, 100, 64 * 1024, 3 * 1024 * 1024].map((size): Sample => ({ title: `${size} random bytes`, expected: 'refused', raw: randomBytes(size) })),
    { title: 'one 2 MB header line', expected: 'refused', raw: Buffer.alloc(2 * 1024 * 1024, 'A') },
    { title: 'an empty message', expected: 'refused', raw: Buffer.alloc(0) },
  ];
}

describe('parseMessageFast on the messages of parseMessage’s own tests', () => {
  it.each(parseMessageSamples())('$title: $expected', expectSample);
});

// ---- messages from a composer ---------------------------------------------------------------

const CLIENT = 'Иван Петров <client@example.test>';
const OPERATOR = 'operator@example.test';

// The windows-1251 bytes of the few letters outside А..я, and of №.
const CP1251_EXTRA = new Map([
  ['ё', 0xb8],
  ['Ё', 0xa8],
  ['№', 0xb9],
]);

/** Russian text in windows-1251, written out here so the test does not rely on a charset library. */
function cp1251(text: string): Buffer {
  return Buffer.from([...text].map((c) => CP1251_EXTRA.get(c) ?? (c >= 'А' && c <= 'я' ? 0xc0 + c.charCodeAt(0) - 0x410 : c.charCodeAt(0))));
}

function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ from: CLIENT, to: OPERATOR, subject: 'Документы по договору', ...options }).compile().build();
}

const CSV = Array.from({ length: 400 }, (_, i) => `${i};Позиция ${i};${(i * 17.5).toFixed(2)};"примечание = ${i}"`).join('\r\n');

function composedSamples(): Promise<Sample[]> {
  const logo = fakeFile('\x89PNG', 3000);
  const samples: [string, Promise<Buffer>][] = [
    [
      'several attachments with Cyrillic names',
      buildMessage({
        from: CLIENT,
        to: OPERATOR,
        subject: 'Счёт и договор',
        text: 'Добрый день! Документы во вложении.',
        attachments: [
          { filename: DOGOVOR, content: fakeFile('%PDF-1.4', 20_000), contentType: 'application/pdf' },
          { filename: 'Фото счёта.png', content: fakeFile('\x89PNG', 9000) },
          { filename: 'данные', content: randomBytes(5000) },
          { filename: 'отчёт за март.docx', content: fakeFile('PK', 7000) },
        ],
      }),
    ],
    [
      'text and html alternatives with attachments',
      compose({
        text: 'Добрый день!\nСм. вложение.',
        html: '<p>Добрый <b>день</b>!</p><p>См. вложение.</p>',
        attachments: [
          { filename: 'Акт сверки.pdf', content: fakeFile('%PDF-1.5', 30_000) },
          { filename: 'scan.jpg', content: fakeFile('\xff\xd8\xff', 12_000) },
        ],
      }),
    ],
    [
      'inline cid images in related html',
      compose({
        text: 'Logo above, invoice attached.',
        html: '<p><img src="cid:logo@client.test"> <img src="cid:sign@client.test"></p>',
        attachments: [
          { filename: 'logo.png', content: logo, cid: 'logo@client.test' },
          { filename: 'подпись.gif', content: fakeFile('GIF89a', 2000), cid: 'sign@client.test' },
          { filename: 'Счёт №5.pdf', content: fakeFile('%PDF-1.4', 8000) },
        ],
      }),
    ],
    [
      'quoted-printable text in windows-1251',
      compose({
        alternatives: [{ contentType: 'text/plain; charset=windows-1251', content: cp1251('Здравствуйте!\r\nСчёт № 5 на сумму 1 000 руб. = оплачен.\r\n'), contentTransferEncoding: 'quoted-printable' }],
      }),
    ],
    [
      'quoted-printable and 7bit attachments',
      compose({
        text: 'Таблица и заметки во вложении.',
        attachments: [
          { filename: 'таблица.csv', content: Buffer.from(CSV), contentType: 'text/csv; charset=utf-8', contentTransferEncoding: 'quoted-printable' },
          { filename: 'notes.txt', content: 'Plain notes\r\n-- \r\nline = two\r\n', contentTransferEncoding: '7bit' },
          { filename: 'readme.txt', content: `${'A long line of text. '.repeat(40)}\r\nend` },
        ],
      }),
    ],
    ['a message that is only a file', compose({ attachments: [{ filename: 'Скан паспорта.pdf', content: fakeFile('%PDF-1.4', 15_000) }] })],
    [
      'base64 text and html bodies',
      compose({ textEncoding: 'base64', text: 'Текст письма '.repeat(50), html: `<p>${'Текст письма '.repeat(50)}</p>`, attachments: [{ filename: 'a.pdf', content: fakeFile('%PDF', 5000) }] }),
    ],
    ['a 1 MB attachment, as in the ingest benchmark', buildMessage({ from: CLIENT, to: OPERATOR, subject: 'Bench', text: 'Message with a file.', attachments: [{ filename: 'file-1.pdf', content: randomBytes(1024 * 1024), contentType: 'application/pdf' }] })],
  ];
  return Promise.all(samples.map(async ([title, raw]) => ({ title, raw: await raw, expected: 'taken' as const })));
}

/** A message as a Unix mail program stores it: LF line endings throughout. */
function withLineFeeds(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/** Written by hand the way Outlook and Apple Mail write: a preamble, an epilogue, no names on some parts. */
function handWritten(): Sample[] {
  const head = [['From: Client <client@example.test>'], ['To: operator@example.test'], ['Subject: hand written'], ['MIME-Version: 1.0']];
  const plain = multipart([textPart('See the scan.'), filePart([['Content-Type: image/jpeg'], ['Content-Disposition: inline']], fakeFile('\xff\xd8', 6000))], { head, boundary: 'Apple-Mail=_5F1B2C' });
  const preambled = bytes(
    plain.toString('latin1').replace('\r\n\r\n--Apple', '\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n--Apple'),
    'Sent from my phone: this epilogue is not part of any part.\r\n',
  );
  const qpFile = (body: string): Buffer => part([['Content-Type: text/plain; name="notes.txt"'], ['Content-Disposition: attachment'], ['Content-Transfer-Encoding: quoted-printable']], body);
  return [
    { title: 'a preamble and an epilogue', expected: 'taken', raw: preambled },
    { title: 'a strict quoted-printable attachment', expected: 'taken', raw: multipart([textPart(), qpFile('caf=C3=A9 =3D soft=\r\nbreak\r\nend=')], { head }) },
    { title: 'blanks at the end of quoted-printable lines', expected: 'refused', raw: multipart([textPart(), qpFile('trailing blank \r\nline')], { head }) },
    { title: 'a stray = in quoted-printable', expected: 'refused', raw: multipart([textPart(), qpFile('1 = 2\r\n')], { head }) },
    {
      // mailsplit takes "\r--b0undary--" for the closing delimiter: it sees fake.bin, and real.pdf only in the epilogue.
      title: 'a lone CR before a delimiter-like line',
      expected: 'refused',
      raw: multipart(
        [
          textPart('Hello\r\n\r--b0undary\r\nContent-Type: application/octet-stream; name="fake.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\nZmFrZQ==\r\n\r--b0undary--'),
          filePart([['Content-Type: application/pdf; name="real.pdf"']], fakeFile('%PDF')),
        ],
        { head },
      ),
    },
    { title: 'format=flowed text', expected: 'refused', raw: multipart([part([['Content-Type: text/plain; charset=utf-8; format=flowed']], 'flowed \r\ntext'), filePart([['Content-Type: application/pdf']], fakeFile('%PDF'))], { head }) },
  ];
}

/** The same message damaged in the ways a transfer or a broken client damages mail. */
function damaged(raw: Buffer): Sample[] {
  const text = raw.toString('latin1');
  const closing = text.lastIndexOf('--\r\n');
  const base64Line = text.search(/\r\n[A-Za-z0-9+/]{76}\r\n/) + 2;
  const spliced = (at: number, remove: number, insert: string): Buffer => Buffer.concat([raw.subarray(0, at), Buffer.from(insert), raw.subarray(at + remove)]);
  return [
    { title: 'cut off in the middle of the attachment', expected: 'refused', raw: raw.subarray(0, base64Line + 30) },
    { title: 'without the closing delimiter', expected: 'refused', raw: raw.subarray(0, text.lastIndexOf('\r\n--', closing) + 2) },
    { title: 'a base64 character lost', expected: 'refused', raw: spliced(base64Line + 10, 1, '') },
    { title: 'a character that is not base64', expected: 'refused', raw: spliced(base64Line + 10, 1, '*') },
    { title: 'a base64url character (_)', expected: 'refused', raw: spliced(base64Line + 10, 1, '_') },
    { title: 'a base64url character (-)', expected: 'refused', raw: spliced(base64Line + 10, 1, '-') },
    { title: 'a blank inside the base64', expected: 'refused', raw: spliced(base64Line + 10, 0, ' ') },
    { title: 'an unknown transfer encoding', expected: 'refused', raw: Buffer.from(text.replace('Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: x-uuencode'), 'latin1') },
  ];
}

describe('parseMessageFast on composed messages', () => {
  let composed: Sample[] = [];
  beforeAll(async () => {
    composed = await composedSamples();
  });

  it('takes every well-formed message and returns what parseMessage returns', async () => {
    for (const sample of composed) {
      const { fast } = await compare(sample.raw);
      expect(fast, sample.title).not.toBeNull();
      expect(fast!.problems).toEqual([]);
    }
  });

  it('takes them with LF line endings too', async () => {
    for (const sample of composed) {
      const { fast } = await compare(withLineFeeds(sample.raw));
      expect(fast, sample.title).not.toBeNull();
    }
  });

  it.each(handWritten())('$title: $expected', expectSample);

  it('reads the composed parts as composed', async () => {
    const byTitle = new Map(composed.map((s) => [s.title, s.raw]));
    const cyrillic = await parseMessageFast(byTitle.get('several attachments with Cyrillic names')!, fastStore);
    expect(cyrillic?.attachments.map((a) => [a.fileName, a.mediaType])).toEqual([
      [DOGOVOR, 'application/pdf'],
      ['Фото счёта.png', 'image/png'],
      ['данные', 'application/octet-stream'],
      ['отчёт за март.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ]);
    const related = await parseMessageFast(byTitle.get('inline cid images in related html')!, fastStore);
    expect(related?.attachments.map((a) => [a.fileName, a.contentId, a.inline])).toEqual([
      ['logo.png', 'logo@client.test', true],
      ['подпись.gif', 'sign@client.test', true],
      ['Счёт №5.pdf', null, false],
    ]);
    const qp = await parseMessageFast(byTitle.get('quoted-printable text in windows-1251')!, fastStore);
    expect(qp?.text).toBe('Здравствуйте!\nСчёт № 5 на сумму 1 000 руб. = оплачен.\n');
    const files = await parseMessageFast(byTitle.get('quoted-printable and 7bit attachments')!, fastStore);
    expect((await readFromRange(byTitle.get('quoted-printable and 7bit attachments')!, files!.attachments[0]!)).toString('utf8')).toBe(CSV);
  });

  it('steps aside for the same messages damaged', async () => {
    const base = composed.find((s) => s.title === 'text and html alternatives with attachments')!;
    for (const sample of damaged(base.raw)) {
      const { fast } = await compare(sample.raw);
      expect(fast, sample.title).toBeNull();
    }
  });

  it('writes nothing to the blob store: every file is a range of the raw message', async () => {
    const failing = new (class extends BlobStore {
      override putBuffer(): Promise<StoredBlob> {
        return Promise.reject(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
      }
    })(path.join(temp.dir, 'failing'));
    for (const sample of composed) {
      const fast = await parseMessageFast(sample.raw, failing);
      expect(fast?.attachments.every((a) => a.range !== undefined), sample.title).toBe(true);
    }
  });

  it('is faster than parseMessage on 20 messages with a 1 MB attachment (logged, not asserted)', async () => {
    const raws = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        buildMessage({ from: CLIENT, to: OPERATOR, subject: `Bench ${i}`, text: `Message ${i} with a file.`, attachments: [{ filename: `file-${i}.pdf`, content: randomBytes(1024 * 1024), contentType: 'application/pdf' }] }),
      ),
    );
    const time = async (parse: (raw: Buffer) => Promise<ParsedMessage | null>): Promise<{ ms: number; results: (ParsedMessage | null)[] }> => {
      const results: (ParsedMessage | null)[] = [];
      const started = performance.now();
      for (const raw of raws) results.push(await parse(raw));
      return { ms: performance.now() - started, results };
    };
    const slow = await time(parseSlow);
    const fast = await time((raw) => parseMessageFast(raw, fastStore));
    console.log(
      `20 messages with a 1 MB attachment: parseMessage ${(slow.ms / 20).toFixed(1)} ms per message, parseMessageFast ${(fast.ms / 20).toFixed(1)} ms per message (${(slow.ms / fast.ms).toFixed(1)}x)`,
    );
    expect(fast.results.map(withoutRanges)).toEqual(slow.results);
  });
});

// ---- messages sent by real mail programs ----------------------------------------------------

describe('parseMessageFast on messages sent by real mail programs', () => {
  let programs: MailPrograms;
  beforeAll(async () => {
    programs = await startMailPrograms(path.join(temp.dir, 'mailer'));
  });
  afterAll(() => programs.stop());

  it('takes mutt attachments (RFC 2231 names)', async () => {
    const raw = await programs.mutt('Документы', programs.files.map(([n]) => n), 'Please see the files.\n', { utf8: true });
    await expectSample({ title: 'mutt', raw, expected: 'taken' });
  });

  it('steps aside for an empty file attached by mutt', async () => {
    const raw = await programs.mutt('empty', [EMPTY_FILE], 'An empty file.\n');
    await expectSample({ title: 'mutt, empty file', raw, expected: 'refused' });
  });

  it('takes swaks attachments (raw UTF-8 names)', async () => {
    await expectSample({ title: 'swaks', raw: await programs.swaks(), expected: 'taken' });
  });
});
