import { describe, expect, it } from 'vitest';
import { isImage, previewKind, shortenMiddle } from '../../common/attachment-display';
import { extensionOf } from '../../common/file-formats';

describe('attachment names in the history', () => {
  it('keeps short names whole', () => {
    expect(shortenMiddle('Договор №5.pdf', 26)).toBe('Договор №5.pdf');
  });

  it('shortens long names in the middle, keeping the start and the extension', () => {
    const name = 'Договор поставки оборудования №5 от 12.03.2026 подписанный.pdf';
    const short = shortenMiddle(name, 26);
    expect([...short]).toHaveLength(26);
    expect(short.startsWith('Договор пост')).toBe(true);
    expect(short.endsWith('подписанный.pdf')).toBe(false);
    expect(short.endsWith('анный.pdf')).toBe(true);
    expect(short).toContain('…');
  });

  it('counts characters, not UTF-16 units, so emoji are never cut in half', () => {
    const short = shortenMiddle(`${'📎'.repeat(30)}.png`, 10);
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('opens in the viewer exactly the image types the hosts serve inline', () => {
    expect(['image/jpeg', 'image/png', 'image/bmp', 'image/gif', 'image/webp'].every((t) => isImage({ mediaType: t }))).toBe(true);
    expect(isImage({ mediaType: 'image/svg+xml' })).toBe(false);
    expect(isImage({ mediaType: 'application/pdf' })).toBe(false);
  });

  it('previews PDFs and Word documents by their type or, sent as octet-stream, by their extension; nothing else', () => {
    const kind = (fileName: string, mediaType = 'application/octet-stream') => previewKind({ fileName, mediaType });
    expect([kind('scan', 'application/pdf'), kind('SCAN.PDF'), kind('a.docx'), kind('a', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')]).toEqual([
      'pdf',
      'pdf',
      'docx',
      'docx',
    ]);
    expect(kind('photo.jpg', 'image/jpeg')).toBe('image');
    expect([kind('old.doc', 'application/msword'), kind('a.rtf'), kind('a.docm'), kind('logo.svg', 'image/svg+xml')]).toEqual([null, null, null, null]);
  });

  it('reads extensions case-insensitively and not from dot-files', () => {
    expect(extensionOf('SCAN.PDF')).toBe('pdf');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
});
