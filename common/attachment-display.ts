import { INLINE_IMAGE_TYPES } from './inline-types';
import type { AttachmentFields } from './mail-fields';

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** The images the viewer shows: the same media types the hosts agree to serve inline. */
export function isImage(a: Pick<AttachmentFields, 'mediaType'>): boolean {
  return INLINE_IMAGE_TYPES.has(a.mediaType);
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * How the viewer shows a file: an image as itself, a PDF drawn by pdf.js, a Word document as the
 * HTML main converts it to; null for every other file (it can only be downloaded). Mail programs
 * often send documents as application/octet-stream, so the extension counts as much as the type.
 */
export type PreviewKind = 'image' | 'pdf' | 'docx';

export function previewKind(a: Pick<AttachmentFields, 'mediaType' | 'fileName'>): PreviewKind | null {
  if (isImage(a)) return 'image';
  const extension = extensionOf(a.fileName);
  if (a.mediaType === 'application/pdf' || extension === 'pdf') return 'pdf';
  if (a.mediaType === DOCX_TYPE || extension === 'docx') return 'docx';
  return null;
}

/** "Очень длинное имя файла договора.pdf" → "Очень длинное им…договора.pdf": the start and the extension stay readable. */
export function shortenMiddle(name: string, max = 36): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const tail = Math.min(14, Math.floor(max / 2));
  return `${chars.slice(0, max - tail - 1).join('')}…${chars.slice(-tail).join('')}`;
}
