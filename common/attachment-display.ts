import { extensionOf, fileFormat, mediaTypesShownAs, type PreviewKind } from './file-formats';
import { INLINE_IMAGE_TYPES } from './inline-types';
import type { AttachmentFields } from './mail-fields';

/** The images the viewer shows: the same media types the hosts agree to serve inline. */
export function isImage(a: Pick<AttachmentFields, 'mediaType'>): boolean {
  return INLINE_IMAGE_TYPES.has(a.mediaType);
}

/**
 * How the viewer shows a file; null for a file it can only download. Mail programs often send
 * documents as application/octet-stream, so for a PDF or a Word document the extension counts
 * as much as the type.
 */
export function previewKind(a: Pick<AttachmentFields, 'mediaType' | 'fileName'>): PreviewKind | null {
  if (isImage(a)) return 'image';
  const named = fileFormat(extensionOf(a.fileName))?.preview;
  const shownAs = (kind: PreviewKind) => named === kind || mediaTypesShownAs(kind).has(a.mediaType);
  if (shownAs('pdf')) return 'pdf';
  if (shownAs('docx')) return 'docx';
  return null;
}

/** What stands for a file that has no picture of its own: its extension, at most four letters; "FILE" without one. */
export function fileBadge(fileName: string): string {
  return extensionOf(fileName).slice(0, 4).toUpperCase() || 'FILE';
}

/** "Очень длинное имя файла договора.pdf" → "Очень длинное им…договора.pdf": the start and the extension stay readable. */
export function shortenMiddle(name: string, max = 36): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const tail = Math.min(14, Math.floor(max / 2));
  return `${chars.slice(0, max - tail - 1).join('')}…${chars.slice(-tail).join('')}`;
}
