// Attachments, streamed into the blob store as they come: the parts mailparser hands over one
// at a time, and the files the MIME outline finds uuencoded in a body text. Once the message
// has been read they are put in message order, named, and checked against what the outline
// saw of their raw bytes.
import { PassThrough, pipeline, type Readable, Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { AttachmentStream } from 'mailparser';
import type { BlobWriter, StoredBlob } from '../files/blob-store';
import { storedName } from '../files/file-names';
import { fallbackName, mediaTypeOfName, nameFromSubject, readRawName, type RawName } from './attachment-name';
import { quote, subjectOf } from './message-headers';
import type { MessageOrder, MimeOutline } from './mime-outline';
import type { ParsedAttachment } from './parse-message';
import { UudecodeStream, UUENCODE_ENCODINGS } from './uudecode';

// Enough of a forwarded message to find its Subject.
const HEAD_KEEP = 64 * 1024;

/** A failure of the blob store, carried through the parse loop to be rethrown as it was. */
export class BlobStoreFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the blob store failed');
  }
}

interface Stored {
  order: MessageOrder;
  rawName: RawName | null;
  mediaType: string;
  contentId: string | null;
  inline: boolean;
  blob: StoredBlob;
  /** The first bytes (a forwarded message's headers). */
  head: Buffer;
  /** The part as mailparser numbers it (null: the message itself). */
  partId: string | null;
  /** A file found in a body text rather than a part of its own. */
  inText: boolean;
  /** The charsets to read a name in raw 8-bit bytes with, the part's own first. */
  charsets: readonly (string | undefined)[];
  /** Why the content stopped before its end, when it did. */
  failure: Error | null;
  /** What went wrong decoding uuencode, when it did. */
  uuProblem: string | null;
}

export interface CollectedAttachments {
  attachments: ParsedAttachment[];
  problems: string[];
}

export class AttachmentCollector {
  private readonly stored: Stored[] = [];
  /** Files from body texts still being written: each settles to the store's failure, or null. */
  private readonly pending: Promise<unknown>[] = [];
  private readonly open = new Set<Writable>();
  private inflight: Readable | null = null;

  constructor(
    private readonly blobs: BlobWriter,
    private readonly outline: MimeOutline,
  ) {}

  /** A part mailparser hands over: stored now, before mailparser goes on. */
  async add(part: AttachmentStream): Promise<void> {
    const partHead = this.outline.headOf(part.partId);
    // Charsets are read now: the outline has seen this part's headers, and those before it.
    const charsets = [partHead?.charset, ...this.outline.declaredCharsets];
    const uu = UUENCODE_ENCODINGS.has(partHead?.transferEncoding ?? '') ? new UudecodeStream() : null;
    let content: Awaited<ReturnType<typeof storeContent>>;
    this.inflight = part.content;
    try {
      content = await storeContent(uu ? pipeline(part.content, uu, () => undefined) : part.content, this.blobs);
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
    const headerName: RawName | null = partHead?.name ? { header: partHead.name.value, decoded: partHead.name.decoded } : part.filename ? { header: part.filename, decoded: true } : null;
    const beginName: RawName | null = uu?.name?.length ? { bytes: uu.name } : null;
    const rawName = headerName ?? beginName;
    this.stored.push({
      order: this.outline.orderOf(part.partId),
      rawName,
      // A uuencoded file is often sent as text or "octet-stream"; its own name says better what it is.
      mediaType: uu && rawName && /^(text\/plain|application\/octet-stream)$/.test(part.contentType) ? mediaTypeOfName(readRawName(rawName, charsets).text) ?? part.contentType : part.contentType,
      contentId: part.cid || null,
      inline: part.contentDisposition === 'inline' || (!part.contentDisposition && part.related === true),
      blob: content.blob,
      head: content.head,
      partId: part.partId,
      failure: content.failure,
      inText: false,
      uuProblem: uu?.problem ?? null,
      charsets,
    });
  }

  /** A file the outline found uuencoded in a body text; it writes the decoded bytes here. */
  openInline(rawName: Buffer, order: MessageOrder): Writable {
    const relay = new PassThrough();
    const charsets = [...this.outline.declaredCharsets];
    this.open.add(relay);
    const storing = storeContent(relay, this.blobs).then(
      (content) => {
        const name: RawName = { bytes: rawName };
        this.stored.push({
          order,
          rawName: name,
          mediaType: mediaTypeOfName(readRawName(name, charsets).text) ?? 'application/octet-stream',
          contentId: null,
          inline: false,
          blob: content.blob,
          head: content.head,
          partId: null,
          inText: true,
          failure: content.failure,
          uuProblem: null,
          charsets,
        });
        return null;
      },
      (error: unknown) => {
        // The outline may still be writing: let it go on, the failure is rethrown by finish().
        relay.destroy();
        return new BlobStoreFailure(error);
      },
    );
    this.pending.push(storing.finally(() => this.open.delete(relay)));
    return relay;
  }

  private async storeEmpty(): Promise<StoredBlob> {
    try {
      return await this.blobs.putBuffer(new Uint8Array(0));
    } catch (error) {
      throw new BlobStoreFailure(error);
    }
  }

  /** Ends what is being stored, if anything: the parser has stopped and will not finish it. */
  abort(): void {
    const stopped = new Error('the message stopped in the middle of this attachment');
    this.inflight?.destroy(stopped);
    for (const relay of this.open) if (!relay.writableEnded) relay.destroy(stopped);
  }

  /** Once the whole message has been read: the attachments in message order, and what was wrong with them. */
  async finish(): Promise<CollectedAttachments> {
    for (const outcome of await Promise.all(this.pending)) if (outcome instanceof BlobStoreFailure) throw outcome;
    const all = [...this.stored].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    const problems: string[] = [];
    const attachments = all.map((s, i) => {
      const fileName = nameOf(s, i + 1, problems);
      const { key: blobKey, size, range } = s.blob;
      const attachment: ParsedAttachment = { fileName, mediaType: s.mediaType, size, blobKey, contentId: s.contentId, inline: s.inline, ...(range && { range }) };
      problems.push(...this.contentProblems(s, attachment, i + 1));
      return attachment;
    });
    return { attachments, problems };
  }

  private contentProblems({ partId, inText, failure, uuProblem }: Stored, attachment: ParsedAttachment, index: number): string[] {
    const label = `attachment ${index} (${attachment.fileName})`;
    const integrity = inText ? null : this.outline.integrityOf(partId);
    const problems: string[] = [];
    if (failure) {
      problems.push(`${label} could not be decoded completely: ${failure.message}`);
    } else if (uuProblem) {
      problems.push(`${label}: ${uuProblem}`);
    } else if (integrity && integrity.base64Leftover !== 0) {
      problems.push(`${label} could not be decoded completely: its base64 data ends in the middle of a 4-character group`);
    } else if (integrity?.cutOff) {
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

function nameOf(stored: Stored, index: number, problems: string[]): string {
  const fallback = fallbackName(index, stored.mediaType);
  if (!stored.rawName) {
    if (stored.mediaType !== 'message/rfc822') return fallback;
    return nameFromSubject(subjectOf(stored.head, stored.charsets)) || fallback;
  }
  const read = readRawName(stored.rawName, stored.charsets);
  if (read.guessed) {
    problems.push(`attachment ${index}: the file name was written in raw 8-bit bytes without a declared charset and was read as ${read.charset}`);
  }
  let text = read.text;
  if (text.includes('\uFFFD')) {
    text = text.replaceAll('\uFFFD', '');
    problems.push(`attachment ${index}: the file name ${quote(read.text)} has a character cut short (the sender's program shortened it), so that character was left out`);
  }
  const safe = storedName(text);
  if (!safe) {
    problems.push(`attachment ${index}: the file name ${quote(text)} could not be used, so it was named ${quote(fallback)}`);
    return fallback;
  }
  if (safe !== text.normalize('NFC')) {
    problems.push(`attachment ${index}: the file name ${quote(text)} was changed to ${quote(safe)} to make it safe`);
  }
  return safe;
}

function isLineEnding(bytes: Buffer): boolean {
  return bytes.length <= 2 && bytes.every((b) => b === 0x0d || b === 0x0a);
}
