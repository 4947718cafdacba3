/** Media types a page may show inline (thumbnails, the viewer); everything else is only ever downloaded. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp']);
