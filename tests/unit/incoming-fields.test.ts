// What the parser hands over is checked against the shared field schemas before it reaches SQL:
// each quirk met in real mail (and a few more a broken parser could produce) must come out as
// a value SQLite binds and the contract accepts, plus a note — never as an exception.
import { describe, expect, it } from 'vitest';
import { attachmentFields, messageFields } from '../../common/mail-fields';
import { checkDelivery, checkParsed } from '../../main/mail/incoming-fields';
import type { ParsedMessage } from '../../main/mail/parse-message';

const KEY = 'ab'.repeat(32);
const BLOB_SIZE = 1234;

function parsed(overrides: Record<string, unknown> = {}, attachment: Record<string, unknown> | null = null): ParsedMessage {
  return {
    messageId: '<m1@client.test>',
    inReplyTo: null,
    references: [],
    from: { address: 'client@example.test', name: 'Client' },
    replyTo: null,
    to: ['operator@example.test'],
    subject: 'Hello',
    date: null,
    text: 'Hi',
    html: null,
    problems: [],
    attachments: attachment
      ? [{ fileName: 'facejj.jpg', mediaType: 'image/jpeg', size: BLOB_SIZE, blobKey: KEY, contentId: null, inline: false, ...attachment }]
      : [],
    ...overrides,
  } as unknown as ParsedMessage;
}

const sizes: string[] = [];
const sizeOf = async (key: string) => {
  sizes.push(key);
  return BLOB_SIZE;
};

describe('checkParsed', () => {
  it('keeps a well-formed message as it is, with no note', async () => {
    const checked = await checkParsed(parsed({}, {}), sizeOf);
    expect(checked).toMatchObject({ fromAddress: 'client@example.test', fromName: 'Client', toAddress: 'operator@example.test', subject: 'Hello', problems: [] });
    expect(checked.attachments).toEqual([{ fileName: 'facejj.jpg', mediaType: 'image/jpeg', size: BLOB_SIZE, blobKey: KEY, contentId: null, inline: false }]);
  });

  it('takes the media type from the file name when mailparser says `false` (Content-Type: ; name="facejj.jpg")', async () => {
    const checked = await checkParsed(parsed({}, { mediaType: false }), sizeOf);
    expect(checked.attachments[0]!.mediaType).toBe('image/jpeg');
    expect(checked.problems).toEqual(['the media type of attachment 1 could not be used (false), so it was stored as "image/jpeg"']);
  });

  it.each([
    ['a media type without a subtype', 'image', 'image/jpeg'],
    ['a media type with blanks', 'image / jpeg', 'image/jpeg'],
    ['no media type at all', undefined, 'image/jpeg'],
  ])('replaces %s', async (_title, mediaType, stored) => {
    const checked = await checkParsed(parsed({}, { mediaType }), sizeOf);
    expect(checked.attachments[0]!.mediaType).toBe(stored);
    expect(checked.problems).toHaveLength(1);
  });

  it('names a file whose name is not a string after its media type', async () => {
    const checked = await checkParsed(parsed({}, { fileName: { value: 'x' }, mediaType: 'application/pdf' }), sizeOf);
    expect(checked.attachments[0]!.fileName).toBe('attachment-1.pdf');
    expect(checked.problems).toEqual(['the file name of attachment 1 could not be used (an object), so it was stored as "attachment-1.pdf"']);
  });

  it('measures the stored blob when the size is NaN, negative or not a whole number', async () => {
    for (const size of [NaN, -1, 1.5, '1234', Infinity]) {
      sizes.length = 0;
      const checked = await checkParsed(parsed({}, { size }), sizeOf);
      expect(checked.attachments[0]!.size).toBe(BLOB_SIZE);
      expect(sizes).toEqual([KEY]);
      expect(checked.problems).toEqual([expect.stringMatching(/^the size of attachment 1 could not be used/)]);
    }
  });

  it('does not measure a blob whose size is fine', async () => {
    sizes.length = 0;
    await checkParsed(parsed({}, {}), sizeOf);
    expect(sizes).toEqual([]);
  });

  it('lists an attachment without usable bytes as a problem instead of a row that points nowhere', async () => {
    for (const blobKey of [undefined, '../../etc/passwd', 42]) {
      const checked = await checkParsed(parsed({}, { blobKey }), sizeOf);
      expect(checked.attachments).toEqual([]);
      expect(checked.problems).toEqual(['attachment 1 could not be kept as a file of its own; save the original message to get it']);
    }
  });

  it('replaces header values that are objects, numbers or lists with empty ones', async () => {
    const checked = await checkParsed(
      parsed({ subject: { value: 'Invoice', params: {} }, from: { address: ['a@b.test'], name: 7 }, replyTo: { text: 'x' }, to: [{ address: 'operator@example.test' }] }),
      sizeOf,
    );
    expect(checked).toMatchObject({ subject: '', fromAddress: null, fromName: null, replyTo: null, toAddress: null });
    expect(checked.problems).toEqual([
      'the From address could not be used (a list), so it was stored as none',
      'the sender’s name could not be used (7), so it was stored as none',
      'the To address could not be used (an object), so it was stored as none',
      'the Reply-To address could not be used (an object), so it was stored as none',
      'the Subject could not be used (an object), so it was stored as empty',
    ]);
  });

  it('refuses addresses that no reply could go to (a line break, a NUL, nothing)', async () => {
    for (const address of ['client@example.test\r\nBcc: all@example.test', 'cli\u0000ent@example.test', '']) {
      const checked = await checkParsed(parsed({ from: { address, name: '' }, replyTo: address }), sizeOf);
      expect(checked.fromAddress).toBeNull();
      expect(checked.replyTo).toBeNull();
      expect(checked.problems).toHaveLength(2);
    }
  });

  it('keeps the usable entries of References and of the problem list', async () => {
    const checked = await checkParsed(parsed({ references: ['<a@x>', 5, 'not an id', '<b@x>'], problems: ['kept', { no: 1 }] }), sizeOf);
    expect(checked.references).toEqual(['<a@x>', '<b@x>']);
    expect(checked.problems).toEqual([
      'kept',
      'the list of problems could not be used (a list), so it was stored as the 1 usable one(s)',
      'the References could not be used (a list), so it was stored as the 2 usable one(s)',
    ]);
  });

  it('lets text and HTML that are not strings go, saying so', async () => {
    const checked = await checkParsed(parsed({ text: Buffer.from('x'), html: false }), sizeOf);
    expect(checked).toMatchObject({ text: null, html: null });
    expect(checked.problems).toHaveLength(2);
  });

  it('survives a parser result with no attachment list and a From that is a string', async () => {
    const checked = await checkParsed(parsed({ attachments: 'none', from: 'client@example.test' }), sizeOf);
    expect(checked.attachments).toEqual([]);
    expect(checked.fromAddress).toBeNull();
    expect(checked.problems).toContain('the list of attachments could not be read; the original message still holds them');
  });

  it('produces what the contract accepts, whatever went in', async () => {
    const hostile = parsed(
      { subject: Symbol('s'), text: 12, html: [], messageId: 'no brackets', inReplyTo: {}, from: null, to: [null] },
      { fileName: '', mediaType: false, size: NaN, contentId: 5, inline: 'yes' },
    );
    const checked = await checkParsed(hostile, sizeOf);
    expect(messageFields.safeParse(checked).success).toBe(true);
    expect(checked.attachments.every((a) => attachmentFields.safeParse(a).success)).toBe(true);
    expect(checked.attachments[0]).toMatchObject({ fileName: 'attachment-1.bin', mediaType: 'application/octet-stream', size: BLOB_SIZE, contentId: null, inline: false });
  });
});

describe('checkDelivery', () => {
  it('keeps a UID and a time that fit', () => {
    const problems: string[] = [];
    expect(checkDelivery({ imapUid: 7, createdAt: 1_700_000_000_000 }, problems)).toEqual({ imapUid: 7, createdAt: 1_700_000_000_000 });
    expect(problems).toEqual([]);
  });

  it('drops a UID that is no UID and puts a time that is no time at now', () => {
    const problems: string[] = [];
    const before = Date.now();
    const checked = checkDelivery({ imapUid: NaN, createdAt: 'yesterday' }, problems);
    expect(checked.imapUid).toBeNull();
    expect(checked.createdAt).toBeGreaterThanOrEqual(before);
    expect(problems).toHaveLength(2);
  });
});
