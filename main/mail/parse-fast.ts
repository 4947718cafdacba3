// The path of plainly well-formed messages: nothing is decoded into a second copy. mailparser
// splits a message line by line and decodes base64 in JavaScript, ~70 ms for a 1 MB attachment,
// and would hand every file over to be stored again beside the raw message. Here:
//
// 1. The MIME structure is read by the scanner (mime-structure.ts), on the message in memory or
//    in its file, and every attachment body is decoded natively in chunks, accepting only strict
//    encodings (transfer-encoding.ts), to learn its SHA-256 and size. The file is stored as that
//    byte range of the raw message: the blob store decodes it again when it is read.
// 2. Each attachment body is replaced by a random stand-in token, one short line of the same
//    transfer encoding. parseMessage reads this small skeleton with a blob writer that, when an
//    attachment's content is a stand-in, answers with the range instead of storing anything.
//
// Outside the replaced bodies the skeleton is the message byte for byte, and a replaced body
// holds no line that mailparser could take for a delimiter, so its state after the body is the
// same either way; names, media types, texts and problems therefore come out as for the
// message. If a stand-in does not come back exactly once, in order, as the whole content of an
// attachment, mailparser saw the message differently from this reader, and the answer is null.
// null means "not plainly well-formed": the caller then runs parseMessage on the real message.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobWriter, StoredBlob } from '../files/blob-store';
import { decodeBody, decoderFor, layoutOf, NotStrict } from '../files/transfer-encoding';
import { bytesInMemory, type MessageBytes } from './message-bytes';
import { LONE_CR, scanStructure, type Leaf } from './mime-structure';
import { parseMessage, type ParsedMessage } from './parse-message';

/** The skeleton is read whole by mailparser: a message whose texts and headers are larger goes the full way. */
const MAX_SKELETON_BYTES = 8 * 1024 * 1024;
// A uuencoded file inside a text body ("begin 644 name"), which parseMessage takes out.
const UUENCODE_BEGIN = /(?:^|\n)begin [0-7]+ /;

/**
 * Returns what parseMessage would, each file as a range of the raw message instead of a stored
 * copy; or null when the message is anything but plainly well-formed.
 */
export async function parseMessageFast(raw: Buffer | MessageBytes, blobs: BlobWriter): Promise<ParsedMessage | null> {
  const bytes = Buffer.isBuffer(raw) ? bytesInMemory(raw) : raw;
  const leaves = await scanStructure(bytes);
  const cut = leaves && (await cutBodies(bytes, leaves));
  if (!cut) return null;
  const writer = new StandInWriter(blobs, cut.standIns);
  const parsed = await parseMessage(Readable.from([cut.skeleton]), writer);
  // Problems mean something was off; the real message may show more of it than the skeleton.
  if (!writer.tookAll || parsed.problems.length > 0) return null;
  return parsed;
}

interface StandIn {
  /** What mailparser hands over as the content when it decodes the stand-in token. */
  marker: Buffer;
  /** The attachment as stored: its content's key and size, and its range in the raw message. */
  blob: StoredBlob;
}

/**
 * The skeleton (the message with every attachment body replaced by a stand-in token) and the
 * stand-ins in message order. null when a body is not strictly encoded. Empty attachments stay
 * in the skeleton: parseMessage reports them, which sends the message to the slow path anyway.
 */
async function cutBodies(bytes: MessageBytes, leaves: readonly Leaf[]): Promise<{ skeleton: Buffer; standIns: StandIn[] } | null> {
  const attachmentBytes = leaves.reduce((sum, leaf) => sum + (leaf.attachment ? leaf.end - leaf.start : 0), 0);
  if (bytes.length - attachmentBytes > MAX_SKELETON_BYTES) return null;
  const pieces: Buffer[] = [];
  const standIns: StandIn[] = [];
  let copied = 0;
  for (const leaf of leaves) {
    if (!leaf.attachment) {
      const body = await bytes.slice(leaf.start, leaf.end);
      // A broken base64 text is no attachment, yet as sure a sign of a damaged message.
      if (leaf.encoding === 'base64' && body.length > 0 && !decodeBody(body, 'base64')) return null;
      if (UUENCODE_BEGIN.test(body.toString('latin1'))) return null;
      continue;
    }
    if (leaf.end === leaf.start) continue;
    const blob = await measure(bytes, leaf);
    if (!blob) return null;
    if (blob.size === 0) continue;
    // 18 random bytes are 24 base64 characters without padding: one line, valid in all three encodings.
    const token = randomBytes(18).toString('base64');
    const marker = leaf.encoding === 'base64' ? Buffer.from(token, 'base64') : Buffer.from(token, 'latin1');
    pieces.push(await bytes.slice(copied, leaf.start), Buffer.from(token, 'latin1'));
    standIns.push({ marker, blob });
    copied = leaf.end;
  }
  pieces.push(await bytes.slice(copied, bytes.length));
  const skeleton = Buffer.concat(pieces);
  // The replaced bodies were checked on their own; this covers everything else, cheaply.
  return LONE_CR.test(skeleton.toString('latin1')) ? null : { skeleton, standIns };
}

/** An attachment body decoded chunk by chunk: its SHA-256 and size, and its range; null when it is not strictly encoded. */
async function measure(bytes: MessageBytes, leaf: Leaf): Promise<StoredBlob | null> {
  const decoder = decoderFor(leaf.encoding);
  const hash = createHash('sha256');
  let size = 0;
  const take = (decoded: Buffer) => {
    hash.update(decoded);
    size += decoded.length;
  };
  try {
    for await (const chunk of bytes.chunks(leaf.start, leaf.end)) take(decoder.push(chunk));
    take(decoder.end());
  } catch (error) {
    if (error instanceof NotStrict) return null;
    throw error;
  }
  const range = { start: leaf.start, end: leaf.end, encoding: leaf.encoding, line: layoutOf(decoder) };
  return { key: hash.digest('hex'), size, range };
}

/**
 * The blob writer parseMessage reads the skeleton with: an attachment whose content is the next
 * stand-in's marker is answered with that stand-in (nothing is written); any other content (an
 * attachment left in the skeleton) is stored as it is.
 */
class StandInWriter implements BlobWriter {
  private taken = 0;

  constructor(
    private readonly blobs: BlobWriter,
    private readonly standIns: readonly StandIn[],
  ) {}

  /** Every stand-in came back, in order, as the whole content of an attachment. */
  get tookAll(): boolean {
    return this.taken === this.standIns.length;
  }

  async put(source: NodeJS.ReadableStream): Promise<StoredBlob> {
    return this.putBuffer(await readAll(source));
  }

  putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    const next = this.standIns[this.taken];
    if (next && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(next.marker)) {
      this.taken += 1;
      return Promise.resolve(next.blob);
    }
    return this.blobs.putBuffer(bytes);
  }
}

/** The skeleton is small: buffering what mailparser hands over of it is fine. */
async function readAll(source: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
