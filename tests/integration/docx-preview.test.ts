// Word documents as HTML for the viewer: real .docx files written part by part (as Word lays
// them out), converted by mammoth in its worker, and the hostile ones a client could send —
// archives that unpack to far more than they weigh, or that lie about it, XML that expands,
// pictures repeated a thousand times — each stopped by its limit, not by the end of memory.
import path from 'node:path';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../main/config/load';
import { DOCX_LIMITS, docxToHtml } from '../../main/files/docx-preview';
import { createHandlers } from '../../main/ipc/handlers';
import { dispatch } from '../../main/ipc/dispatch';
import { openServices, type Services } from '../../main/services';
import { OFFLINE_CHANNEL } from '../support/config-file';
import { incoming } from '../support/incoming';
import { DOCX, DOCX_PARTS, documentXml, docxOf, docxPicture, PDF, PNG, zipOf } from '../support/sample-files';
import { tempDir } from '../support/temp-dir';

const MB = 1024 * 1024;
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

/**
 * A ZIP with one deflated document.xml of `size` bytes of spaces that declares `declared` as its
 * unpacked size, written chunk by chunk so the test itself never holds the unpacked bytes.
 */
async function bombOf(size: number, declared = size): Promise<Buffer> {
  const deflate = createDeflateRaw();
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const chunk = Buffer.alloc(MB, 0x20);
  let crc = 0;
  for (let written = 0; written < size; written += MB) {
    crc = crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  await new Promise((resolve) => deflate.end(resolve));
  const body = Buffer.concat(compressed);
  const zip = zipOf([DOCX_PARTS[0]!, DOCX_PARTS[1]!, { name: 'word/document.xml', content: body, store: true }]);
  // zipOf stored the deflated bytes as they are: mark the entry deflated, with the CRC and the size it claims.
  const name = Buffer.from('word/document.xml');
  for (const [signature, method, crcAt, sizeAt] of [[0x04034b50, 8, 14, 22], [0x02014b50, 10, 16, 24]] as const) {
    for (let at = zip.indexOf(name); at >= 0; at = zip.indexOf(name, at + 1)) {
      const header = at - (signature === 0x04034b50 ? 30 : 46);
      if (header < 0 || zip.readUInt32LE(header) !== signature) continue;
      zip.writeUInt16LE(8, header + method);
      zip.writeUInt32LE(crc, header + crcAt);
      zip.writeUInt32LE(declared, header + sizeAt);
    }
  }
  return zip;
}

/** Runs `work`, sampling the process's resident memory meanwhile; resolves to its result and the largest growth seen. */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  try {
    const result = await work();
    return { result, growthMb: (Math.max(peak, process.memoryUsage.rss()) - base) / MB };
  } finally {
    clearInterval(sampler);
  }
}

describe('a Word document as HTML', () => {
  it('keeps its text, headings, emphasis, tables and links, and its raster pictures inline', async () => {
    const body =
      '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Договор №5</w:t></w:r></w:p>' +
      '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Сумма:</w:t></w:r><w:r><w:t xml:space="preserve"> 12 000 ₽ </w:t></w:r>' +
      '<w:hyperlink r:id="rId9"><w:r><w:t>условия</w:t></w:r></w:hyperlink></w:p>' +
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Итого</w:t></w:r></w:p></w:tc></w:tr></w:tbl>' +
      docxPicture('rId5', 'Печать') +
      docxPicture('rId6', 'Схема');
    const docx = docxOf(body, [{ name: 'word/media/image1.png', content: PNG }, { name: 'word/media/image2.emf', content: Buffer.from('EMF vector') }], {
      rId5: 'media/image1.png',
      rId6: 'media/image2.emf',
      rId9: 'https://example.com/terms',
    });

    const preview = await docxToHtml(docx);

    expect(preview).toEqual({
      status: 'html',
      html:
        '<h1>Договор №5</h1><p><strong>Сумма:</strong> 12 000 ₽ <a href="https://example.com/terms">условия</a></p>' +
        `<table><tr><td><p>Итого</p></td></tr></table><p><img alt="Печать" src="data:image/png;base64,${PNG.toString('base64')}" /></p>`,
      // The EMF: no browser shows it, and the page keeps data: pictures of raster types only.
      picturesLeftOut: 1,
    });
  });

  it('shows the seed document every test sends', async () => {
    expect(await docxToHtml(DOCX)).toEqual({ status: 'html', html: '<p>Здравствуйте! Счет во вложении.</p>', picturesLeftOut: 0 });
  });

  it('leaves out the pictures past their size limit in the HTML, however often one is repeated, and keeps the text', async () => {
    const picture = Buffer.concat([PNG, Buffer.alloc(3000, 7)]);
    const docx = docxOf(paragraph('Фото:') + docxPicture('rId5', 'Фото').repeat(1000), [{ name: 'word/media/photo.png', content: picture }], { rId5: 'media/photo.png' });
    const limits = { ...DOCX_LIMITS, pictureChars: 50_000 };

    const preview = await docxToHtml(docx, limits);

    if (preview.status !== 'html') throw new Error(`expected html, got ${preview.status}`);
    expect(preview.html.startsWith('<p>Фото:</p>')).toBe(true);
    expect(preview.html.length).toBeLessThan(limits.pictureChars + 10_000);
    const shown = preview.html.split('src="data:image/png;base64,').length - 1;
    expect(shown).toBe(12);
    expect(preview.picturesLeftOut).toBe(1000 - shown);
  });

  it('refuses a file, a directory or an unpacked part larger than its limit, before converting anything', async () => {
    const many = zipOf([...DOCX_PARTS, ...Array.from({ length: 20 }, (_, i) => ({ name: `word/media/${i}.png`, content: PNG }))]);
    expect(await docxToHtml(many, { ...DOCX_LIMITS, entries: 10 })).toEqual({ status: 'too_large' });
    expect(await docxToHtml(DOCX, { ...DOCX_LIMITS, fileBytes: DOCX.length - 1 })).toEqual({ status: 'too_large' });
    expect(await docxToHtml(docxOf(paragraph('x'.repeat(10_000))), { ...DOCX_LIMITS, xmlBytes: 5000 })).toEqual({ status: 'too_large' });
    const pictures = docxOf(docxPicture('rId5', 'a'), [{ name: 'word/media/a.png', content: Buffer.alloc(10_000) }], { rId5: 'media/a.png' });
    expect(await docxToHtml(pictures, { ...DOCX_LIMITS, pictureBytes: 5000 })).toEqual({ status: 'too_large' });
  });

  it('does not unpack a zip bomb: one that says what it holds is refused unread, one that lies stops at what it said', async () => {
    const unpacked = 512 * MB;
    const honest = await bombOf(unpacked);
    const liar = await bombOf(unpacked, 1000);
    expect(honest.length).toBeLessThan(MB);

    const refused = await withPeakMemory(() => docxToHtml(honest));
    expect(refused.result).toEqual({ status: 'too_large' });
    const stopped = await withPeakMemory(() => docxToHtml(liar));
    expect(stopped.result).toEqual({ status: 'unreadable' });
    // Unpacked, either would take half a gigabyte.
    expect(Math.max(refused.growthMb, stopped.growthMb)).toBeLessThan(64);
  });

  it('stops the converter when a small document would take more heap than its worker has', async () => {
    // 1 MB of empty paragraphs: within every size limit, but some 300 MB as mammoth's DOM.
    const preview = await docxToHtml(docxOf('<w:p/>'.repeat(170_000)), { ...DOCX_LIMITS, heapMb: 64 });
    expect(preview).toEqual({ status: 'too_large' });
  });

  it('does not expand entities declared in the document (a billion laughs)', async () => {
    const entities = ['<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'];
    for (let i = 1; i < 9; i++) entities.push(`<!ENTITY ${'abcdefghi'[i]} "${`&${'abcdefghi'[i - 1]};`.repeat(10)}">`);
    const xml = documentXml(paragraph('&i;')).replace('?>\n', `?>\n<!DOCTYPE w:document [${entities.join('')}]>`);
    const preview = await docxToHtml(zipOf([DOCX_PARTS[0]!, DOCX_PARTS[1]!, { name: 'word/document.xml', content: xml }]));
    expect(preview).toEqual({ status: 'unreadable' });
  });

  it('calls what is not a Word document unreadable', async () => {
    expect(await docxToHtml(PDF)).toEqual({ status: 'unreadable' });
    expect(await docxToHtml(zipOf([DOCX_PARTS[0]!, DOCX_PARTS[1]!]))).toEqual({ status: 'unreadable' });
    expect(await docxToHtml(zipOf([...DOCX_PARTS.slice(0, 2), { name: 'word/document.xml', content: '<w:document><w:body>' }]))).toEqual({ status: 'unreadable' });
  });
});

describe('attachments.preview, through the contract', () => {
  const tmp = tempDir('postdesk-docx-preview-');
  let services: Services;
  let ids: Record<'docx' | 'infected' | 'pdf' | 'oversized', number>;
  const preview = (attachmentId: number) => dispatch(createHandlers(services), 'attachments.preview', { attachmentId });

  beforeAll(async () => {
    const config = configWith({ channels: [OFFLINE_CHANNEL] });
    services = await openServices({ config, dataDir: path.join(tmp.dir, 'data'), lang: 'en', version: 'test', startMail: false });
    const conversationId = services.conversations.ensure(services.clients.create({ name: 'Client', email: 'client@example.test' }).id, OFFLINE_CHANNEL.id);
    const docx = await services.blobs.putBuffer(DOCX);
    const pdf = await services.blobs.putBuffer(PDF);
    const file = (fileName: string, blob: { key: string; size: number }, size = blob.size) => ({
      fileName,
      mediaType: fileName.endsWith('.pdf') ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size,
      blobKey: blob.key,
      contentId: null,
      inline: false,
    });
    const messageId = services.messages.insertIncoming(
      incoming(conversationId, {
        attachments: [file('Договор.docx', docx), file('infected.docx', docx), file('scan.pdf', pdf), file('huge.docx', docx, 30 * MB)],
      }),
    );
    await services.checks.checkMessage(messageId);
    const [docxId, infectedId, pdfId, oversizedId] = services.attachments.listForMessage(messageId).map((a) => a.id) as [number, number, number, number];
    // What clamd said of it (tests/integration/virus-scan.test.ts runs the real clamd).
    services.attachments.saveCheck(infectedId, { warning: null, scan: { status: 'infected', signature: 'Eicar-Test-Signature' } }, Date.now());
    ids = { docx: docxId, infected: infectedId, pdf: pdfId, oversized: oversizedId };
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('answers a received .docx with its HTML', async () => {
    expect(await preview(ids.docx)).toEqual({ ok: true, value: { status: 'html', html: '<p>Здравствуйте! Счет во вложении.</p>', picturesLeftOut: 0 } });
  });

  it('never converts a file the virus scanner found infected', async () => {
    expect(await preview(ids.infected)).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'infected', fileName: 'infected.docx' } } });
  });

  it('judges a file too large by its stored size, before reading it', async () => {
    expect(await preview(ids.oversized)).toEqual({ ok: true, value: { status: 'too_large' } });
  });

  it('converts only Word documents, and only attachments that exist', async () => {
    expect(await preview(ids.pdf)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await preview(999_999)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
