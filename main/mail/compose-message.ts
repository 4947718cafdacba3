// Turns a stored outgoing message into the exact bytes handed to the SMTP server. The bytes go
// to a file first: the SIZE check and the progress bar need the encoded size before the upload.
// When the Sent folder is to get a copy, the file is a blob of its own, kept until the copy is
// appended (main/team/sent-copies.ts), so both carry identical bytes even across a restart.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { BlobStore } from '../files/blob-store';
import type { OutgoingRow } from '../store/messages-repo';
import { quotedHtml, quotedText } from '../compose/quote';

export interface ComposeOptions {
  blobs: BlobStore;
  /** Display name of the From address: the channel's name. */
  fromName: string;
  /** When the operator sent it, not when an attempt happened: a retried message keeps its Date. */
  date: Date;
}

export interface ComposedFile {
  file: string;
  size: number;
  /** The blob holding the bytes (composeToBlob); null for a temp file. */
  blobKey: string | null;
  /** Deletes a temp file; safe to call more than once. A blob stays until no row refers to it (the blob sweep). */
  remove(): Promise<void>;
}

/** `openBlob` gives each attachment's bytes as a stream; the caller owns (and closes) those streams. */
export function composer(
  row: OutgoingRow,
  { fromName, date }: Omit<ComposeOptions, 'blobs'>,
  openBlob: (key: string) => Readable,
): MailComposer {
  return new MailComposer({
    from: { name: fromName, address: row.fromAddress },
    to: row.toAddress,
    // Bcc recipients travel in the envelope only; a Bcc header would show them to everyone.
    subject: row.subject,
    // An answer quotes what it answers: in the text part after "> ", in an HTML part as a blockquote.
    // A message given its own HTML is sent as given.
    ...(row.html
      ? { text: row.text ?? '', html: row.html }
      : row.quote
        ? { text: quotedText(row.text ?? '', row.quote), html: quotedHtml(row.text ?? '', row.quote) }
        : { text: row.text ?? '' }),
    // Stored at enqueue time, so a retry carries the same Message-ID and receivers can deduplicate.
    messageId: row.messageId,
    ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
    ...(row.references.length > 0 ? { references: row.references } : {}),
    date,
    attachments: row.attachments.map((a) => ({
      filename: a.fileName,
      contentType: a.mediaType,
      contentDisposition: 'attachment',
      content: openBlob(a.blobKey),
    })),
    newline: 'win',
    // Nothing in a stored message may make the composer read local files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** Streams the encoded message into a temp file under the blob store, so memory does not grow with attachment size. */
export async function composeToFile(row: OutgoingRow, options: ComposeOptions): Promise<ComposedFile> {
  const file = path.join(options.blobs.root, 'tmp', `outgoing-${row.id}-${randomBytes(6).toString('hex')}.eml`);
  const remove = (): Promise<void> => rm(file, { force: true });
  try {
    await compose(row, options, (encoded) => pipeline(encoded, createWriteStream(file, { flags: 'wx' })));
    return { file, size: (await stat(file)).size, blobKey: null, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** The same, into a blob of its own: the bytes outlive the send (the Sent-folder copy is appended from them). */
export async function composeToBlob(row: OutgoingRow, options: ComposeOptions): Promise<ComposedFile> {
  const { key, size } = await compose(row, options, (encoded) => options.blobs.put(encoded));
  return { file: options.blobs.pathOf(key), size, blobKey: key, remove: async () => undefined };
}

async function compose<T>(row: OutgoingRow, options: ComposeOptions, write: (encoded: Readable) => Promise<T>): Promise<T> {
  // A failed compose leaves later attachments unread; their file handles must not outlive it.
  const opened: Readable[] = [];
  const openBlob = (key: string): Readable => {
    const stream = options.blobs.open(key);
    opened.push(stream);
    return stream;
  };
  try {
    return await write(composer(row, options, openBlob).compile().createReadStream());
  } finally {
    for (const stream of opened) stream.destroy();
  }
}
