// Small real files the tests attach, download and compare byte for byte, and the writers for
// the hostile ones (polyglots, programs in documents, macros): every file here is what a real
// program would open as such — the policy reads whole files, so fakes with a right first line
// no longer pass for the real thing.
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import CFB from 'cfb';

/** A 2×2 PNG that Chromium decodes (naturalWidth 2). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** A 1×1 JPEG encoded by Chromium's canvas (its ICC segment dropped); it decodes in Chromium. */
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCdAHrB/9k=',
  'base64',
);
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
export const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** A 2×2 24-bit BMP: BITMAPFILEHEADER + BITMAPINFOHEADER + two rows padded to 4 bytes, bottom-up. */
export const BMP = (() => {
  const rowSize = 8;
  const pixelOffset = 14 + 40;
  const b = Buffer.alloc(pixelOffset + rowSize * 2);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(pixelOffset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(2, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowSize * 2, 34);
  b.writeInt32LE(2835, 38);
  b.writeInt32LE(2835, 42);
  Buffer.from([0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0]).copy(b, pixelOffset);
  return b;
})();

/** A PDF of these objects (numbered from 1, the first the catalog), with a correct cross-reference table, as `pdfinfo` or Acrobat would open it. */
function pdfFromObjects(objects: string[]): Buffer {
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A one-page PDF. */
export function pdfWith(pageText = 'Postdesk'): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${pageText}) Tj ET`;
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ]);
}

/**
 * A PDF of A4 pages, each with its line of text in Helvetica (ASCII). With `script`, the file
 * carries that JavaScript the three ways Acrobat runs a file's code: on opening (/OpenAction),
 * as document-level JavaScript (/Names), and behind a link over the whole first page.
 */
export function pdfOf(pages: string[], { script }: { script?: string } = {}): Buffer {
  const pageObject = (i: number) => 4 + i * 2;
  const action = script === undefined ? '' : `<< /S /JavaScript /JS (${script}) >>`;
  const scriptObject = 4 + pages.length * 2;
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R${action && ` /OpenAction ${scriptObject} 0 R /Names << /JavaScript << /Names [(postdesk) ${scriptObject} 0 R] >> >>`} >>`,
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageObject(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  pages.forEach((text, i) => {
    const stream = `BT /F1 24 Tf 72 760 Td (${text}) Tj ET`;
    const link = action && i === 0 ? ` /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /Border [0 0 0] /A ${scriptObject} 0 R >>]` : '';
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObject(i) + 1} 0 R${link} >>`,
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    );
  });
  if (action) objects.push(action);
  return pdfFromObjects(objects);
}

export const PDF = pdfWith();
export const RTF = Buffer.from('{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs24 Hello from Postdesk\\par}\n');

export interface ZipEntry {
  name: string;
  content: string | Buffer;
  /** Stored rather than deflated (as Word and LibreOffice write their parts). */
  store?: boolean;
}

/**
 * A ZIP as any archiver writes it: local headers, data, central directory; names in UTF-8.
 * `prefix` goes before it with the offsets moved past it, as `zip -A` leaves a self-extractor
 * or a polyglot: unzip tools open the tail as an archive whatever the file starts with.
 */
export function zipOf(entries: ZipEntry[], prefix: Buffer = Buffer.alloc(0)): Buffer {
  const locals: Buffer[] = [prefix];
  const centrals: Buffer[] = [];
  let offset = prefix.length;
  for (const entry of entries) {
    const data = Buffer.from(entry.content);
    const body = entry.store ? data : deflateRawSync(data);
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.store ? 0 : 8;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Default Extension="png" ContentType="image/png"/><Default Extension="emf" ContentType="image/x-emf"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** word/document.xml around `body`: paragraphs (w:p) and tables (w:tbl), as Word writes them. */
export function documentXml(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"' +
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"' +
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">' +
    `<w:body>${body}</w:body></w:document>`
  );
}

/** The parts of a minimal Word document (Word and LibreOffice open it), to add to or leave out of. */
export const DOCX_PARTS: ZipEntry[] = [
  { name: '[Content_Types].xml', content: CONTENT_TYPES },
  { name: '_rels/.rels', content: RELS },
  { name: 'word/document.xml', content: documentXml('<w:p><w:r><w:t>Здравствуйте! Счет во вложении.</w:t></w:r></w:p>') },
];
export const DOCX = zipOf(DOCX_PARTS);

/** A paragraph holding the picture that relationship `rId` of the document names, described as `description`. */
export function docxPicture(rId: string, description: string): string {
  return (
    `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="190500" cy="190500"/><wp:docPr id="1" name="Picture" descr="${description}"/>` +
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>' +
    `<pic:blipFill><a:blip r:embed="${rId}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
  );
}

/**
 * A Word document whose body is `body`, with `files` beside it (pictures under word/) and the
 * document's relationships to them: each rId names its file's path from word/ (for docxPicture),
 * or an https address for a hyperlink (w:hyperlink r:id=…).
 */
export function docxOf(body: string, files: ZipEntry[] = [], relationships: Record<string, string> = {}): Buffer {
  const type = (target: string) => `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${target.startsWith('https:') ? 'hyperlink' : 'image'}`;
  const rels = Object.entries(relationships)
    .map(([id, target]) => `<Relationship Id="${id}" Type="${type(target)}" Target="${target}"${target.startsWith('https:') ? ' TargetMode="External"' : ''}/>`)
    .join('');
  return zipOf([
    DOCX_PARTS[0]!,
    DOCX_PARTS[1]!,
    { name: 'word/document.xml', content: documentXml(body) },
    { name: 'word/_rels/document.xml.rels', content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>` },
    ...files,
  ]);
}

/** An OLE compound file written by cfb, as Office's own writer lays out streams and storages. */
export function oleFile(streams: Record<string, string | Buffer>, rootClsid?: string): Buffer {
  const container = CFB.utils.cfb_new(rootClsid ? { CLSID: rootClsid } : undefined);
  for (const [name, content] of Object.entries(streams)) CFB.utils.cfb_add(container, name, Buffer.from(content));
  return CFB.write(container, { type: 'buffer' }) as Buffer;
}

/** A Word 97–2003 document: the WordDocument stream with its FIB's magic (0xA5EC) and the table stream. */
export const DOC = oleFile({
  '/WordDocument': Buffer.concat([Buffer.from([0xec, 0xa5, 0xc1, 0x00]), Buffer.alloc(1020)]),
  '/1Table': Buffer.alloc(512),
  '/\u0005SummaryInformation': Buffer.alloc(128),
});

/** A PE file's start: DOS header with e_lfanew, the DOS stub message, then "PE\0\0" and a COFF header. */
export const EXE = (() => {
  const b = Buffer.alloc(1024, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt16LE(0x90, 2);
  b.writeUInt16LE(3, 4);
  b.writeUInt16LE(4, 8);
  b.writeUInt16LE(0xffff, 12);
  b.writeUInt16LE(0xb8, 16);
  b.writeUInt16LE(0x40, 24);
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x8664, 0x84);
  return b;
})();

/**
 * An ELF program's start, as Linux's /bin/true begins (ELF64, little-endian, x86-64, an executable),
 * written out so the test is the same on Windows and macOS, which have no ELF program to read.
 */
export const ELF = (() => {
  const b = Buffer.alloc(4096, 0);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b[6] = 1; // EV_CURRENT
  b.writeUInt16LE(3, 16); // ET_DYN: a position-independent executable, as Debian builds them
  b.writeUInt16LE(0x3e, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x40n, 32); // program headers right after this header
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  return b;
})();

/** The EICAR anti-virus test file: every engine reports it, and it harms nothing. */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
