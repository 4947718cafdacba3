// The shared corpus of real-world and hostile messages (tests/corpus/*.eml, byte for byte), and
// the hostile cases too large to commit, generated the same way every time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

export interface CorpusMessage {
  name: string;
  raw: Buffer;
}

/** Every .eml file of the corpus, in name order. */
export function corpusFiles(): CorpusMessage[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(path.join(CORPUS_DIR, name)) }));
}

export function corpusFile(name: string): Buffer {
  return readFileSync(path.join(CORPUS_DIR, name));
}

const HEAD = (subject: string) =>
  `From: Generator <generator@sender.test>\r\nTo: operator@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W+/g, '-')}@sender.test>\r\nMIME-Version: 1.0\r\n`;

/** A header line of about 2 MB (a Subject that never ends). */
export function hugeHeaderLine(): CorpusMessage {
  const raw = `${HEAD('huge header line')}X-Huge: ${'x'.repeat(2 * 1024 * 1024)}\r\nContent-Type: text/plain\r\n\r\nbody\r\n`;
  return { name: 'ingest-generated-huge-header-line.eml', raw: Buffer.from(raw) };
}

/** One text part and 1,001 small files. */
export function manyAttachments(count = 1001): CorpusMessage {
  const parts = ['--many\r\nContent-Type: text/plain\r\n\r\nmany files\r\n'];
  for (let i = 1; i <= count; i++) {
    parts.push(
      `--many\r\nContent-Type: application/pdf; name="file-${i}.pdf"\r\nContent-Disposition: attachment; filename="file-${i}.pdf"\r\n` +
        `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`%PDF-1.4 file ${i}`).toString('base64')}\r\n`,
    );
  }
  const raw = `${HEAD(`${count} attachments`)}Content-Type: multipart/mixed; boundary="many"\r\n\r\n${parts.join('')}--many--\r\n`;
  return { name: 'ingest-generated-1001-attachments.eml', raw: Buffer.from(raw) };
}

/** Multiparts nested `depth` deep around one text part. */
export function deepNesting(depth = 1000): CorpusMessage {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += `Content-Type: multipart/mixed; boundary="d${i}"\r\n\r\n--d${i}\r\n`;
    close = `\r\n--d${i}--${close}`;
  }
  const raw = `${HEAD(`nested ${depth} deep`)}${open}Content-Type: text/plain\r\n\r\ndeep inside${close}\r\n`;
  return { name: 'ingest-generated-nesting-1000-deep.eml', raw: Buffer.from(raw) };
}
