import { mediaTypesShownAs } from './file-formats';

/** Media types a page may show inline (thumbnails, the viewer); everything else is only ever downloaded. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = mediaTypesShownAs('image');
