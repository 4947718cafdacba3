// Attachments as mailparser hands them over, one at a time: streamed into the blob store, named,
// and checked against what the MIME outline saw of their raw bytes.
import { type Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AttachmentStream, Headers, HeaderValue, StructuredHeader } from 'mailparser';
import type { BlobWriter, StoredBlob } from '../files/blob-store';
import { fallbackName, nameFromSubject, recoverRawName, safeFileName } from './attachment-name';
import { quote, subjectOf } from './message-headers';
import type { MimeOutline } from './mime-outline';
import type { ParsedAttachment } from './parse-message';

// Enough of a forwarded message to find its Subject.
const HEAD_KEEP = 64 * 1024;

/** A failure of the blob store, carried through the parse loop to be rethrown as it was. */
export class BlobStoreFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the blob store failed');
  }
}

interface Stored {
  attachment: ParsedAttachment;
  partId: string | null;
  /** Why the content stopped before its end, when it did. */
  failure: Error | null;
  nameProblems: string[];
}

/** Stores attachments one at a time, as mailparser hands them over, and remembers what went wrong. */
export class AttachmentCollector {
  readonly attachments: ParsedAttachment[] = [];
  private readonly stored: Stored[] = [];
  private inflight: Readable | null = null;

  constructor(
    private readonly blobs: BlobWriter,
    private readonly outline: MimeOutline,
  ) {}

  async add(part: AttachmentStream): Promise<void> {
    const index = this.attachments.length + 1;
    // Charsets are read now: the outline has seen this part's headers, and those before it.
    const charsets = [charsetOf(part.headers), ...this.outline.declaredCharsets];
    let content: Awaited<ReturnType<typeof storeContent>>;
    this.inflight = part.content;
    try {
      content = await storeContent(part.content, this.blobs);
    } catch (error) {
      throw new BlobStoreFailure(error);
    } finally {
      this.inflight = null;
      // Only now, after the content has been read to its end: a released attachment is
      // drained by mailparser without backpressure, which would buffer a slow write in memory.
      part.release?.();
    }
    if (content.blob.size > 0 && this.outline.integrityOf(part.partId).emptyBody && isLineEnding(content.head)) {
      // mailsplit hands over the delimiter's line ending as the content of an empty 7bit part
      // (an empty file attached by mutt, for one); the file really has no bytes.
      content.blob = await this.storeEmpty();
    }
    const nameProblems: string[] = [];
    const fileName = nameOf(part, index, charsets, content.head, nameProblems);
    const attachment: ParsedAttachment = {
      fileName,
      mediaType: part.contentType,
      size: content.blob.size,
      blobKey: content.blob.key,
      contentId: part.cid || null,
      inline: part.contentDisposition === 'inline' || (!part.contentDisposition && part.related === true),
    };
    this.attachments.push(attachment);
    this.stored.push({ attachment, partId: part.partId, failure: content.failure, nameProblems });
  }

  private async storeEmpty(): Promise<StoredBlob> {
    try {
      return await this.blobs.putBuffer(new Uint8Array(0));
    } catch (error) {
      throw new BlobStoreFailure(error);
    }
  }

  /** Ends the content being stored, if any: the parser has stopped and will not finish it. */
  abort(): void {
    this.inflight?.destroy(new Error('the message stopped in the middle of this attachment'));
  }

  /** Per attachment, in order; completeness is known only once the whole message has been read. */
  problems(): string[] {
    return this.stored.flatMap((s, i) => [...s.nameProblems, ...this.contentProblems(s, i + 1)]);
  }

  private contentProblems({ attachment, partId, failure }: Stored, index: number): string[] {
    const label = `attachment ${index} (${attachment.fileName})`;
    const integrity = this.outline.integrityOf(partId);
    const problems: string[] = [];
    if (failure) {
      problems.push(`${label} could not be decoded completely: ${failure.message}`);
    } else if (integrity.base64Leftover !== 0) {
      problems.push(`${label} could not be decoded completely: its base64 data ends in the middle of a 4-character group`);
    } else if (integrity.cutOff) {
      problems.push(`${label} may be incomplete: the message ends inside it`);
    }
    if (attachment.size === 0) problems.push(`${label} is empty`);
    return problems;
  }
}

/**
 * Streams content into the blob store, keeping the first bytes (a forwarded message's headers).
 * If the content fails (bad encoding, parser stopped), what came before is still stored and
 * the failure returned; only the store's own failures reject.
 */
async function storeContent(content: Readable, blobs: BlobWriter): Promise<{ blob: StoredBlob; failure: Error | null; head: Buffer }> {
  const head: Buffer[] = [];
  let headLength = 0;
  const relay = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (headLength < HEAD_KEEP) {
        head.push(Buffer.from(chunk.subarray(0, HEAD_KEEP - headLength)));
        headLength += Math.min(chunk.length, HEAD_KEEP - headLength);
      }
      done(null, chunk);
    },
  });
  // After a store failure the content may still write into the destroyed relay; the failure
  // itself reaches us through blobs.put.
  relay.on('error', () => undefined);
  let failure: Error | null = null;
  const ended = finished(content).catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
    relay.end();
  });
  content.pipe(relay);
  const blob = await blobs.put(relay);
  await ended;
  return { blob, failure, head: Buffer.concat(head, headLength) };
}

function nameOf(part: AttachmentStream, index: number, charsets: readonly (string | undefined)[], head: Buffer, problems: string[]): string {
  const fallback = fallbackName(index, part.contentType);
  if (!part.filename) {
    if (part.contentType !== 'message/rfc822') return fallback;
    return nameFromSubject(subjectOf(head, charsets)) || fallback;
  }
  const read = recoverRawName(part.filename, nameInHeaders(part.headers), charsets);
  if (read.guessed) {
    problems.push(`attachment ${index}: the file name was written in raw 8-bit bytes without a declared charset and was read as ${read.charset}`);
  }
  const safe = safeFileName(read.text);
  if (!safe) {
    problems.push(`attachment ${index}: the file name ${quote(read.text)} could not be used, so it was named ${quote(fallback)}`);
    return fallback;
  }
  if (safe !== read.text.normalize('NFC')) {
    problems.push(`attachment ${index}: the file name ${quote(read.text)} was changed to ${quote(safe)} to make it safe`);
  }
  return safe;
}

/** The name as mailparser parsed it from the headers, where raw 8-bit bytes became U+FFFD. */
function nameInHeaders(headers: Headers): string | undefined {
  return paramOf(headers, 'content-disposition', 'filename') ?? paramOf(headers, 'content-type', 'name');
}

function charsetOf(headers: Headers): string | undefined {
  return paramOf(headers, 'content-type', 'charset');
}

function paramOf(headers: Headers, header: string, param: string): string | undefined {
  const value = headers.get(header);
  if (!isStructured(value)) return undefined;
  const params: Record<string, string | undefined> = value.params;
  return params[param] || undefined;
}

function isStructured(value: HeaderValue | undefined): value is StructuredHeader {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && 'params' in value && 'value' in value;
}

function isLineEnding(bytes: Buffer): boolean {
  return bytes.length <= 2 && bytes.every((b) => b === 0x0d || b === 0x0a);
}
