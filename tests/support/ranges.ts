// Files the fast path keeps as ranges of the raw message: read back as the blob store reads
// them (main/files/derived-blob.ts), and left out where a parse is compared with parseMessage's.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { openDerived } from '../../main/files/derived-blob';
import type { ParsedAttachment, ParsedMessage } from '../../main/mail/parse-message';

/** The parse without the ranges, which only the fast path records. */
export function withoutRanges<T extends ParsedMessage | null>(parsed: T): T {
  if (!parsed) return parsed;
  return { ...parsed, attachments: parsed.attachments.map(({ range: _range, ...a }) => a) };
}

/** The attachment's bytes decoded from its range of `raw`, whole or [start, end]. */
export async function readFromRange(raw: Buffer | string, attachment: ParsedAttachment, options: { start?: number; end?: number } = {}): Promise<Buffer> {
  if (!attachment.range) throw new Error(`${attachment.fileName} has no range`);
  let file = raw;
  if (Buffer.isBuffer(raw)) {
    file = path.join(os.tmpdir(), `postdesk-range-${randomBytes(6).toString('hex')}.eml`);
    writeFileSync(file, raw);
  }
  return buffer(openDerived(file as string, { ...attachment.range, rawKey: '', size: attachment.size }, options));
}
