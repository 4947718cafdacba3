// "Show the whole message": the text and HTML of a message whose body was longer than the
// history keeps (PARSE_LIMITS.displayText), read again from its original, up to a hard cap.
// Beyond the cap the page is told it is too large to show; the original can still be saved.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import type { BlobStore, BlobWriter, StoredBlob } from '../files/blob-store';
import type { MessagesRepo } from '../store/messages-repo';
import { WHOLE_TEXT_LIMIT } from './parse-limits';
import { parseMessage } from './parse-message';

export interface WholeText {
  html: string | null;
  text: string | null;
  /** Even the whole-message cap was not enough: nothing is shown, the original can be saved. */
  tooLarge: boolean;
  /** The cap, in bytes, for the page to say. */
  limit: number;
}

/** The attachments were stored at ingest; reading the text again must not write them a second time. */
const DISCARD: BlobWriter = {
  async put(source) {
    let size = 0;
    await pipeline(
      source,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done();
        },
      }),
    );
    return { key: '', size } satisfies StoredBlob;
  },
  putBuffer: (bytes) => Promise.resolve({ key: '', size: bytes.byteLength }),
};

export class WholeTextReader {
  constructor(private readonly deps: { blobs: BlobStore; messages: MessagesRepo }) {}

  async read(messageId: number): Promise<WholeText> {
    const key = this.deps.messages.rawBlobKey(messageId);
    if (!key) throw new AppError('not_found', 'This message has no original to read the whole text from.');
    const parsed = await parseMessage(this.deps.blobs.open(key), DISCARD, { displayText: WHOLE_TEXT_LIMIT });
    if (parsed.bodyTruncated) return { html: null, text: null, tooLarge: true, limit: WHOLE_TEXT_LIMIT };
    return { html: parsed.html, text: parsed.text, tooLarge: false, limit: WHOLE_TEXT_LIMIT };
  }
}
