import { INLINE_IMAGE_TYPES } from './inline-types';
import type { AttachmentView } from '../preload/contract';

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** The files the viewer opens: the same media types the hosts agree to serve inline. */
export function isImage(a: Pick<AttachmentView, 'mediaType'>): boolean {
  return INLINE_IMAGE_TYPES.has(a.mediaType);
}

/** "Очень длинное имя файла договора.pdf" → "Очень длинное им…договора.pdf": the start and the extension stay readable. */
export function shortenMiddle(name: string, max = 36): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const tail = Math.min(14, Math.floor(max / 2));
  return `${chars.slice(0, max - tail - 1).join('')}…${chars.slice(-tail).join('')}`;
}
