import { describe, expect, it } from 'vitest';
import { previewKind } from '../../common/attachment-display';
import { contentProblem, matchesExtension } from '../../common/attachment-policy';
import { extensionOf, fileFormat, isCompressed, mediaTypesShownAs, outgoingMediaType } from '../../common/file-formats';
import { INLINE_IMAGE_TYPES } from '../../common/inline-types';

// The lists the table replaced, as they stood in the composer, the ZIP export and the hosts:
// every reader must get the answers it got from its own list.
const COMPOSER_MEDIA_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  rtf: 'application/rtf',
};
const COMPRESSED_EXTENSIONS = [
  'jpeg', 'jpg', 'png', 'gif', 'webp', 'heic', 'avif', 'pdf',
  'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp',
  'zip', '7z', 'rar', 'gz', 'tgz', 'bz2', 'xz', 'zst',
  'mp4', 'm4a', 'mov', 'mp3',
];
const COMPRESSED_MEDIA_TYPES = [
  'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/avif', 'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/zip', 'application/x-7z-compressed', 'application/vnd.rar', 'application/x-rar-compressed',
  'application/gzip', 'application/x-gzip', 'video/mp4', 'audio/mpeg',
];
const OTHER_EXTENSIONS = ['bmp', 'rtf', 'doc', 'dot', 'xls', 'ppt', 'msg', 'docm', 'xlsm', 'exe', 'msi', 'txt', 'odt2', ''];

describe('the one table of file formats', () => {
  it('labels an outgoing file as the composer did, and anything else as application/octet-stream', () => {
    for (const [extension, type] of Object.entries(COMPOSER_MEDIA_TYPES)) {
      expect(outgoingMediaType(`file.${extension}`)).toBe(type);
      expect(outgoingMediaType(`FILE.${extension.toUpperCase()}`)).toBe(type);
    }
    for (const name of ['book.xlsx', 'deck.pptx', 'a.zip', 'photo.heic', 'song.mp3', 'notes.txt', 'README', '.pdf']) {
      expect(outgoingMediaType(name)).toBe('application/octet-stream');
    }
  });

  it('stores in a ZIP, as they are, exactly the formats the export stored', () => {
    for (const extension of COMPRESSED_EXTENSIONS) expect(isCompressed(`a.${extension}`, 'application/octet-stream')).toBe(true);
    for (const type of COMPRESSED_MEDIA_TYPES) expect(isCompressed('noext', type)).toBe(true);
    expect(isCompressed('noext', 'Image/JPEG; name="x"')).toBe(true);
    for (const extension of OTHER_EXTENSIONS) expect(isCompressed(`a.${extension}`, 'application/octet-stream')).toBe(false);
    for (const type of ['image/bmp', 'application/rtf', 'application/msword', 'text/plain', 'audio/mp4']) expect(isCompressed('noext', type)).toBe(false);
  });

  it('shows inline exactly the image types the hosts served, and previews PDFs and Word documents', () => {
    expect([...INLINE_IMAGE_TYPES].sort()).toEqual(['image/bmp', 'image/gif', 'image/jpeg', 'image/png', 'image/webp']);
    expect([...mediaTypesShownAs('pdf')]).toEqual(['application/pdf']);
    expect([...mediaTypesShownAs('docx')]).toEqual(['application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
  });

  it('lets a PDF win when the type and the name disagree, as the viewer always did', () => {
    const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(previewKind({ fileName: 'scan.pdf', mediaType: docxType })).toBe('pdf');
    expect(previewKind({ fileName: 'letter.docx', mediaType: 'application/pdf' })).toBe('pdf');
    // An image is shown by its type alone: the hosts serve it under that type.
    expect(previewKind({ fileName: 'photo.jpg', mediaType: 'application/octet-stream' })).toBeNull();
  });

  it('knows nothing of an extension that happens to be the name of an object property', () => {
    for (const extension of ['constructor', '__proto__', 'tostring', 'hasownproperty']) {
      expect(fileFormat(extension)).toBeUndefined();
      expect(outgoingMediaType(`evil.${extension}`)).toBe('application/octet-stream');
      expect(isCompressed(`evil.${extension}`, 'application/octet-stream')).toBe(false);
      expect(matchesExtension(extension, { kind: 'text' })).toBe(true);
      expect(contentProblem(`evil.${extension}`, { kind: 'png', damaged: true })).toBeNull();
    }
    expect(extensionOf('evil.Constructor')).toBe('constructor');
  });
});
