// What main makes of a document for the viewer (a .docx as HTML, main/files/docx-preview.ts).
// The HTML is not trusted: the page sanitizes it exactly like a client's HTML mail.
import { z } from 'zod';

export const documentPreview = z.discriminatedUnion('status', [
  /** `picturesLeftOut`: pictures not shown (a format the page does not show, or past the size limit). */
  z.object({ status: z.literal('html'), html: z.string(), picturesLeftOut: z.number().int().nonnegative() }),
  /** The file, or what it unpacks to, is beyond what is converted in memory; it can still be downloaded. */
  z.object({ status: z.literal('too_large') }),
  /** Not a Word document that can be read (damaged, or another format under a .docx name). */
  z.object({ status: z.literal('unreadable') }),
]);

export type DocumentPreview = z.output<typeof documentPreview>;
