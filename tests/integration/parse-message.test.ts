// parseMessage against raw messages, byte for byte as mail programs write them, with a real blob
// store: every attachment is read back from disk and compared with the bytes that were sent.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore, type StoredBlob } from '../../main/files/blob-store';
import { parseMessage, type ParsedAttachment, type ParsedMessage } from '../../main/mail/parse-message';
import {
  base64Lines,
  bytes,
  CRLF,
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
import { tempBlobStore } from '../support/temp-blobs';

const { store, dir } = tempBlobStore('postdesk-parse-message-');

// ---- reading results ------------------------------------------------------------------------

/** Parses `raw`, fed in pieces of `chunkSize` bytes as a network stream would deliver it. */
function parse(raw: Buffer, chunkSize = 16 * 1024): Promise<ParsedMessage> {
  return parseMessage(inPieces(raw, chunkSize), store);
}

function storedBytes(attachment: ParsedAttachment): Buffer {
  return readFileSync(store.pathOf(attachment.blobKey));
}

/** The attachment's bytes are in the blob store, and its key and size describe exactly them. */
function expectStored(attachment: ParsedAttachment | undefined, content: Buffer): void {
  expect(attachment).toBeDefined();
  expect(storedBytes(attachment!).equals(content)).toBe(true);
  expect(attachment!.size).toBe(content.length);
  expect(attachment!.blobKey).toBe(sha256(content));
}

// ---- tests ----------------------------------------------------------------------------------

describe('parseMessage: envelope', () => {
  it('reads the envelope fields as written', async () => {
    const raw = multipart([textPart('Hi there.')], {
      head: [
        ['Message-ID: <m1@Client.Example.TEST>'],
        ['In-Reply-To: <m0@postdesk.test>'],
        ['References: <r1@x.test>', CRLF, '\t<r2@x.test> <m0@postdesk.test>'],
        [`From: =?UTF-8?B?${Buffer.from('Иван Петров').toString('base64')}?= <Ivan.Petrov@Example.TEST>`],
        ['Reply-To: Desk <desk@xn--e1afmkfd.xn--p1ai>'],
        ['To: operator@example.test, Team: a@example.test, b@example.test;'],
        ['Subject: =?UTF-8?Q?=D0=A1=D1=87=D1=91=D1=82_=E2=84=965?='],
        ['Date: Tue, 05 Mar 2024 10:15:00 +0300'],
      ],
    });
    const parsed = await parse(raw);
    expect(parsed).toMatchObject({
      messageId: '<m1@Client.Example.TEST>',
      inReplyTo: '<m0@postdesk.test>',
      references: ['<r1@x.test>', '<r2@x.test>', '<m0@postdesk.test>'],
      from: { address: 'Ivan.Petrov@Example.TEST', name: 'Иван Петров' },
      replyTo: 'desk@xn--e1afmkfd.xn--p1ai',
      to: ['operator@example.test', 'a@example.test', 'b@example.test'],
      subject: 'Счёт №5',
      text: 'Hi there.',
      html: null,
      attachments: [],
      problems: [],
    });
    expect(parsed.date?.toISOString()).toBe('2024-03-05T07:15:00.000Z');
  });

  it('reads a raw windows-1251 Subject and sender name in the charset the body declares', async () => {
    const raw = part(
      [
        [bytes('From: "', IVAN_CP1251, '" <ivan@example.test>')],
        [bytes('Subject: ', SCHET_CP1251, ' 5')],
        ['Content-Type: text/plain; charset=windows-1251'],
      ],
      bytes(SCHET_CP1251, ' attached'),
    );
    const parsed = await parse(raw);
    expect(parsed.subject).toBe('Счёт 5');
    expect(parsed.from).toEqual({ address: 'ivan@example.test', name: 'Иван' });
    expect(parsed.text).toBe('Счёт attached');
    expect(parsed.problems).toEqual([]);
  });

  it('gives null for an unreadable Date and a missing From, and says so', async () => {
    const parsed = await parse(part([['Subject: no sender'], ['Date: the day after tomorrow'], ['Message-ID: bare-id@client.test']], 'text'));
    expect(parsed.messageId).toBe('<bare-id@client.test>');
    expect(parsed.date).toBeNull();
    expect(parsed.from).toBeNull();
    expect(parsed.subject).toBe('no sender');
    expect(parsed.text).toBe('text');
    expect(parsed.problems).toEqual(['the message has no From header', 'the Date header "the day after tomorrow" could not be read']);
  });
});

describe('parseMessage: attachment file names', () => {
  it.each(NAME_CASES)('decodes $title', async ({ headers, name, bodyCharset, problems }) => {
    const content = fakeFile('%PDF-1.4');
    const raw = multipart([textPart('Hello', bodyCharset), filePart(headers, content)]);
    const parsed = await parse(raw);
    expect(parsed.attachments.map((a) => a.fileName)).toEqual([name]);
    expectStored(parsed.attachments[0], content);
    expect(parsed.problems).toEqual(problems ?? []);
  });

  it('makes names safe: no directories, control or bidi characters, blanks or dot names', async () => {
    const names = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Windows\\evil.exe', 'evil.exe'],
      ['a\u0000b\u0007c\u009f.pdf', 'abc.pdf'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
      ['  report.pdf  ', 'report.pdf'],
      ['..', 'attachment-6.pdf'],
    ];
    const contents = names.map(([original]) => fakeFile(String(original)));
    const parts = names.map(([original], i) =>
      filePart([['Content-Type: application/pdf'], [`Content-Disposition: attachment; filename*=utf-8''${percent(Buffer.from(original!))}`]], contents[i]!),
    );
    // The same Windows path as a quoted string, with its backslashes escaped as RFC 2045 wants.
    const quoted = fakeFile('quoted');
    parts.push(filePart([['Content-Type: application/octet-stream; name="C:\\\\Users\\\\x\\\\..\\\\evil.exe"']], quoted));

    const parsed = await parse(multipart([textPart(), ...parts]));
    expect(parsed.attachments.map((a) => a.fileName)).toEqual([...names.map(([, safe]) => safe), 'evil.exe']);
    contents.forEach((content, i) => expectStored(parsed.attachments[i], content));
    expectStored(parsed.attachments[6], quoted);
    expect(parsed.problems).toEqual([
      'attachment 1: the file name "../../etc/passwd" was changed to "passwd" to make it safe',
      'attachment 2: the file name "C:\\Windows\\evil.exe" was changed to "evil.exe" to make it safe',
      'attachment 3: the file name "a b c .pdf" was changed to "abc.pdf" to make it safe',
      'attachment 4: the file name "invoice\u202Efdp.exe" was changed to "invoicefdp.exe" to make it safe',
      'attachment 5: the file name "  report.pdf  " was changed to "report.pdf" to make it safe',
      'attachment 6: the file name ".." could not be used, so it was named "attachment-6.pdf"',
      'attachment 7: the file name "C:\\Users\\x\\..\\evil.exe" was changed to "evil.exe" to make it safe',
    ]);
  });

  it('names a part without a name attachment-N with an extension for its media type', async () => {
    const files = [
      ['application/pdf', 'attachment-1.pdf'],
      ['image/png', 'attachment-2.png'],
      ['application/x-postdesk-unknown', 'attachment-3.bin'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'attachment-4.docx'],
    ];
    const contents = files.map(([type]) => fakeFile(String(type)));
    const parsed = await parse(multipart([textPart(), ...files.map(([type], i) => filePart([[`Content-Type: ${type}`]], contents[i]!))]));
    expect(parsed.attachments.map((a) => [a.fileName, a.mediaType])).toEqual(files.map(([type, name]) => [name, type]));
    contents.forEach((content, i) => expectStored(parsed.attachments[i], content));
    expect(parsed.problems).toEqual([]);
  });
});

describe('parseMessage: bodies and inline images', () => {
  it('keeps text, html with its cid: links, and inline images as attachments', async () => {
    const logo = fakeFile('\x89PNG', 500);
    const contract = fakeFile('%PDF-1.7');
    const html = '<p>Hello, <img src="cid:logo@client.test" alt="logo"></p>';
    const raw = multipart([
      nested('related', 'rel', [
        nested('alternative', 'alt', [textPart('Hello, [logo]'), part([['Content-Type: text/html; charset=utf-8']], html)]),
        filePart([['Content-Type: image/png; name="logo.png"'], ['Content-ID: <logo@client.test>'], ['Content-Disposition: inline; filename="logo.png"']], logo),
      ]),
      filePart([['Content-Type: application/pdf; name="contract.pdf"'], ['Content-Disposition: attachment; filename="contract.pdf"']], contract),
    ]);
    const parsed = await parse(raw);
    expect(parsed.text).toBe('Hello, [logo]');
    expect(parsed.html).toBe(html);
    expect(parsed.attachments).toEqual([
      { fileName: 'logo.png', mediaType: 'image/png', size: logo.length, blobKey: sha256(logo), contentId: 'logo@client.test', inline: true },
      { fileName: 'contract.pdf', mediaType: 'application/pdf', size: contract.length, blobKey: sha256(contract), contentId: null, inline: false },
    ]);
    expectStored(parsed.attachments[0], logo);
    expect(parsed.problems).toEqual([]);
  });
});

describe('parseMessage: malformed and unusual messages', () => {
  it('reports an attachment whose base64 is cut in the middle, and keeps the rest of the message', async () => {
    const cut = fakeFile('%PDF-1.4', 3000);
    const whole = fakeFile('PK', 2000);
    const cutBase64 = base64Lines(cut).slice(0, 1001); // mid-line, mid-group
    const raw = multipart([
      nested('alternative', 'alt', [textPart('See attached.'), part([['Content-Type: text/html']], '<p>See attached.</p>')]),
      part([['Content-Type: application/pdf; name="cut.pdf"'], ['Content-Transfer-Encoding: base64']], cutBase64),
      filePart([['Content-Type: application/zip; name="whole.zip"']], whole),
    ]);
    const parsed = await parse(raw);
    expect(parsed.text).toBe('See attached.');
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(['cut.pdf', 'whole.zip']);
    // 12 lines of 76 characters and 65 more: 244 whole groups of 3 bytes, and one character over.
    expect(cutBase64.replace(/\r\n/g, '')).toHaveLength(977);
    expect(storedBytes(parsed.attachments[0]!).equals(cut.subarray(0, 244 * 3))).toBe(true);
    expectStored(parsed.attachments[1], whole);
    expect(parsed.problems).toEqual(['attachment 1 (cut.pdf) could not be decoded completely: its base64 data ends in the middle of a 4-character group']);
  });

  it('keeps what arrived of a message cut off inside an attachment', async () => {
    const first = fakeFile('%PDF-1.4', 3000);
    const second = fakeFile('GIF89a', 3000);
    const full = multipart([textPart('Two files.'), filePart([['Content-Type: application/pdf; name="one.pdf"']], first), filePart([['Content-Type: image/gif; name="two.gif"']], second)]);
    const cutAt = full.indexOf('two.gif') + 2000;
    const parsed = await parse(full.subarray(0, cutAt));
    expect(parsed.text).toBe('Two files.');
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(['one.pdf', 'two.gif']);
    expectStored(parsed.attachments[0], first);
    const partial = storedBytes(parsed.attachments[1]!);
    expect(partial.length).toBeGreaterThan(1000);
    expect(partial.length).toBeLessThan(second.length);
    expect(second.subarray(0, partial.length).equals(partial)).toBe(true);
    expect(parsed.problems).toEqual([
      expect.stringMatching(/^attachment 2 \(two\.gif\) (could not be decoded completely|may be incomplete): /),
      'the message ends without its closing MIME boundary; it may have been cut short',
    ]);
  });

  it('reads a multipart whose closing boundary is missing', async () => {
    const pdf = fakeFile('%PDF-1.4');
    const png = fakeFile('\x89PNG');
    const raw = multipart([textPart('No closing line.'), filePart([['Content-Type: application/pdf; name="a.pdf"']], pdf), filePart([['Content-Type: image/png; name="b.png"']], png)], {
      close: false,
    });
    const parsed = await parse(raw);
    expect(parsed.text).toBe('No closing line.');
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(['a.pdf', 'b.png']);
    expectStored(parsed.attachments[0], pdf);
    expectStored(parsed.attachments[1], png);
    expect(parsed.problems).toEqual([
      'attachment 2 (b.png) may be incomplete: the message ends inside it',
      'the message ends without its closing MIME boundary; it may have been cut short',
    ]);
  });

  it('keeps a 0-byte attachment and says it is empty', async () => {
    const after = fakeFile('after');
    const raw = multipart([
      textPart(),
      part([['Content-Type: text/plain; name="empty.txt"'], ['Content-Disposition: attachment; filename="empty.txt"']], ''),
      filePart([['Content-Type: application/pdf; name="after.pdf"']], after),
    ]);
    const parsed = await parse(raw);
    expect(parsed.attachments.map((a) => [a.fileName, a.size])).toEqual([
      ['empty.txt', 0],
      ['after.pdf', after.length],
    ]);
    expectStored(parsed.attachments[0], Buffer.alloc(0));
    expectStored(parsed.attachments[1], after);
    expect(parsed.problems).toEqual(['attachment 1 (empty.txt) is empty']);
  });

  it('keeps a forwarded message/rfc822 as one .eml attachment, not merged into the text', async () => {
    const inner = bytes(
      multipart([textPart('Inner text.'), filePart([['Content-Type: image/png; name="inner.png"']], fakeFile('\x89PNG'))], {
        head: [['From: Boss <boss@example.test>'], ['Subject: =?UTF-8?B?' + Buffer.from('Отчёт 5/2024').toString('base64') + '?='], ['MIME-Version: 1.0']],
        boundary: 'inner',
      }),
    );
    const named = bytes('From: a@example.test\r\nSubject: named\r\n\r\nbody\r\n');
    const raw = multipart([
      textPart('Forwarding two.'),
      part([['Content-Type: message/rfc822']], inner),
      part([['Content-Type: message/rfc822'], ['Content-Disposition: inline; filename="original.eml"']], named),
    ]);
    const parsed = await parse(raw);
    expect(parsed.text).toBe('Forwarding two.');
    expect(parsed.attachments.map((a) => [a.fileName, a.mediaType, a.inline])).toEqual([
      ['Отчёт 5-2024.eml', 'message/rfc822', false],
      ['original.eml', 'message/rfc822', true],
    ]);
    expectStored(parsed.attachments[0], inner);
    expectStored(parsed.attachments[1], named);
    expect(parsed.problems).toEqual([]);
  });

  it('stores all 500 attachments of one message, in order', async () => {
    const contents = Array.from({ length: 500 }, (_, i) => Buffer.from(`file ${i + 1}\n${'x'.repeat(i)}`));
    const names = contents.map((_, i) => `file-${String(i + 1).padStart(3, '0')}.bin`);
    const raw = multipart([textPart(), ...contents.map((c, i) => filePart([[`Content-Type: application/octet-stream; name="${names[i]}"`]], c))]);
    const parsed = await parse(raw);
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(names);
    contents.forEach((content, i) => expectStored(parsed.attachments[i], content));
    expect(parsed.problems).toEqual([]);
  });

  it('reads the same message the same way when it arrives a few bytes at a time', async () => {
    const pdf = fakeFile('%PDF-1.4', 1500);
    const raw = multipart([
      textPart('Small pieces.', 'windows-1251'),
      filePart([['Content-Type: application/pdf'], ['Content-Disposition: attachment; filename="', DOGOVOR_CP1251, '.pdf"']], pdf),
      part([['Content-Type: text/plain; name="empty.txt"'], ['Content-Disposition: attachment']], ''),
      part([['Content-Type: text/plain; name="two-lines.txt"'], ['Content-Disposition: attachment']], 'one\r\ntwo\r\n'),
      part([['Content-Type: image/png; name="cut.png"'], ['Content-Transfer-Encoding: base64']], 'iVBORw0KGgo='.slice(0, 7)),
    ]);
    const whole = await parse(raw);
    const pieces = await parse(raw, 7);
    expect(pieces).toEqual(whole);
    expect(pieces.attachments.map((a) => [a.fileName, a.size])).toEqual([
      [DOGOVOR, pdf.length],
      ['empty.txt', 0],
      ['two-lines.txt', 10],
      ['cut.png', 5],
    ]);
    expectStored(pieces.attachments[0], pdf);
    expectStored(pieces.attachments[2], Buffer.from('one\r\ntwo\r\n'));
    expect(pieces.problems).toEqual([
      'attachment 2 (empty.txt) is empty',
      'attachment 4 (cut.png) could not be decoded completely: its base64 data ends in the middle of a 4-character group',
    ]);
  });

  it('turns garbage into a message with problems instead of an exception', async () => {
    for (const size of [1, 100, 64 * 1024, 3 * 1024 * 1024]) {
      const parsed = await parse(randomBytes(size));
      expect(parsed.problems).toContain('the message has no From header');
      expect(parsed.attachments).toEqual([]);
    }
    // One header "line" of 2 MB is past the header limit: it is left out, and said so.
    const huge = await parse(Buffer.alloc(2 * 1024 * 1024, 'A'));
    expect(huge.problems).toEqual([
      'the message has no From header',
      'the message header is larger than 1 MB; the header lines past that were left out (they are in the original message)',
    ]);
    expect(huge.text).toBeNull();
  });

  it('says an empty message is empty', async () => {
    const parsed = await parse(Buffer.alloc(0));
    expect(parsed).toMatchObject({ from: null, subject: '', text: null, html: null, attachments: [], problems: ['the message is empty'] });
  });
});

describe('parseMessage: failures that are not the message', () => {
  it('rejects with the blob store error when writing an attachment fails', async () => {
    const failing = new (class extends BlobStore {
      override put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
        const disk = new Transform({
          transform(_chunk, _encoding, done) {
            done(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
          },
        });
        source.pipe(disk);
        return super.put(disk);
      }
    })(path.join(dir, 'failing-blobs'));
    await failing.init();
    const raw = multipart([textPart(), filePart([['Content-Type: application/pdf; name="a.pdf"']], fakeFile('%PDF', 1024 * 1024))]);
    await expect(parseMessage(Readable.from([raw]), failing)).rejects.toMatchObject({ code: 'EIO' });
  });

  it('rejects with the source error when the message stream fails', async () => {
    const raw = multipart([textPart(), filePart([['Content-Type: application/pdf; name="a.pdf"']], fakeFile('%PDF', 100_000))]);
    const source = new Readable({ read() {} });
    source.push(raw.subarray(0, 50_000));
    setTimeout(() => source.destroy(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })), 20);
    await expect(parseMessage(source, store)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('parseMessage: messages sent by real mail programs', () => {
  let programs: MailPrograms;
  beforeAll(async () => {
    programs = await startMailPrograms(path.join(dir, 'mailer'));
  });
  afterAll(() => programs.stop());

  function expectFiles(parsed: ParsedMessage): void {
    expect(parsed.attachments.map((a) => a.fileName)).toEqual(programs.files.map(([name]) => name));
    programs.files.forEach(([, content], i) => expectStored(parsed.attachments[i], content));
    expect(parsed.from?.address).toBe('client@example.test');
    expect(parsed.problems).toEqual([]);
  }

  it('reads the names and bytes of mutt attachments (RFC 2231 names)', async () => {
    const parsed = await parse(await programs.mutt('Документы', programs.files.map(([n]) => n), 'Please see the files.\n', { utf8: true }));
    expect(parsed.subject).toBe('Документы');
    expect(parsed.text?.trim()).toBe('Please see the files.');
    expectFiles(parsed);
  });

  it('keeps an empty file attached by mutt as a 0-byte attachment', async () => {
    const parsed = await parse(await programs.mutt('empty', [EMPTY_FILE], 'An empty file.\n'));
    expect(parsed.attachments.map((a) => [a.fileName, a.size])).toEqual([['пусто.txt', 0]]);
    expectStored(parsed.attachments[0], Buffer.alloc(0));
    expect(parsed.problems).toEqual(['attachment 1 (пусто.txt) is empty']);
  });

  it('reads the names and bytes of swaks attachments (raw UTF-8 names)', async () => {
    const parsed = await parse(await programs.swaks());
    expect(parsed.text?.trim()).toBe('Files attached.');
    expectFiles(parsed);
  });
});
