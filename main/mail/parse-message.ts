// Mail ingestion: one raw message in, its fields out, every attachment streamed into the blob
// store. The operator must never lose a message or a file, so a malformed message is read as
// far as it goes and what went wrong is listed in `problems`; only a failure of the blob store
// itself (or of the source stream) is thrown, because then nothing can be trusted to be kept.
import { pipeline } from 'node:stream/promises';
import { type AttachmentStream, type HeaderLines, MailParser, type MailParserOptions, type MessageText } from 'mailparser';
import type { BlobWriter } from '../files/blob-store';
import type { NewAttachment } from '../store/messages-repo';
import { AttachmentCollector, BlobStoreFailure, type CollectedAttachments } from './attachment-collector';
import { readMessageHeaders, type MessageHeaders } from './message-headers';
import { MimeOutline } from './mime-outline';
import { PARSE_LIMITS } from './parse-limits';

/** An attachment as stored: the same shape the messages repository takes. */
export type ParsedAttachment = NewAttachment;

export interface ParsedMessage extends MessageHeaders {
  text: string | null;
  /** Not sanitized, `cid:` links left as they are: the renderer resolves and cleans them. */
  html: string | null;
  /** The text or HTML was longer than the display size and is kept only up to it (the original has it all). */
  bodyTruncated: boolean;
  /** Every non-body part in message order, inline images included. */
  attachments: ParsedAttachment[];
  /** Human-readable English descriptions of what was wrong with the message. */
  problems: string[];
}

export interface ParseOptions {
  /** How much text and HTML to keep; the history's display size unless said otherwise. */
  displayText?: number;
}

const PARSER_OPTIONS: MailParserOptions = {
  // A forwarded message stays one downloadable .eml file instead of being merged into the text.
  ignoreEmbedded: true,
  // The blob store hashes the content (SHA-256) already.
  checksumAlgo: false,
  // The plain text of an HTML mail is shown only where there is no HTML; converting a long one
  // takes seconds and a hundred megabytes, for nothing.
  maxHtmlLengthToParse: PARSE_LIMITS.htmlToText,
};

/** Reads one raw message; see the file comment for what is thrown and what is reported. */
export async function parseMessage(source: NodeJS.ReadableStream, blobs: BlobWriter, options: ParseOptions = {}): Promise<ParsedMessage> {
  // The outline hands files it finds in body texts to the collector, which reads the outline's notes.
  let collector: AttachmentCollector | null = null;
  const outline = new MimeOutline({ openInlineFile: (name, order) => collector!.openInline(name, order), displayText: options.displayText });
  collector = new AttachmentCollector(blobs, outline);
  const parser = new MailParser(PARSER_OPTIONS);
  let rootLines: HeaderLines = [];
  parser.once('headerLines', (lines: HeaderLines) => {
    rootLines = lines;
  });
  let sourceError: unknown = null;
  source.on('error', (error: unknown) => {
    sourceError ??= error;
  });
  // Settles once the parser has taken all input; its errors surface through the loop below.
  const feeding = pipeline(source, outline, parser).catch(() => undefined);
  // A parser that stops mid-attachment would leave that attachment's content open forever.
  parser.once('close', () => collector.abort());

  let text: MessageText | null = null;
  let readError: unknown = null;
  try {
    for await (const item of parser as AsyncIterable<AttachmentStream | MessageText>) {
      if (item.type === 'text') text = item;
      else await collector.add(item);
    }
  } catch (error) {
    if (error instanceof BlobStoreFailure) throw error.cause;
    readError = error;
  }
  await feeding;
  if (sourceError !== null) throw sourceError;
  let collected: CollectedAttachments;
  try {
    collected = await collector.finish();
  } catch (error) {
    throw error instanceof BlobStoreFailure ? error.cause : error;
  }

  const headerProblems: string[] = [];
  const headers = readMessageHeaders(rootLines, outline.declaredCharsets, headerProblems);
  const problems = outline.byteCount === 0 ? ['the message is empty'] : headerProblems;
  problems.push(...outline.problems(), ...collected.problems);
  if (readError !== null) problems.push(`the message could not be read completely (${messageOf(readError)}); what came before the problem is kept`);
  if (outline.unclosedMultipart) problems.push('the message ends without its closing MIME boundary; it may have been cut short');
  // HTML left unconverted on purpose (longer than htmlToText) is no problem of the message.
  if (text?.textConversionError && (text.html?.length ?? 0) <= PARSE_LIMITS.htmlToText) problems.push(`the HTML body could not be converted to plain text: ${text.textConversionError.message}`);

  return {
    ...headers,
    text: text?.text ?? null,
    html: text?.html ?? null,
    bodyTruncated: outline.bodyTruncated,
    attachments: collected.attachments,
    problems,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
