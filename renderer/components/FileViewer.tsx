import { useEffect, useRef, useState } from 'react';
import { previewKind } from '../../common/attachment-display';
import type { AttachmentView } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';
import { DocumentView } from './viewer/DocumentView';
import { ImageView, type Zoom } from './viewer/ImageView';
import { NoPreview } from './viewer/NoPreview';
import { PdfView } from './viewer/PdfView';

/**
 * A message's files, one at a time: images and PDFs fit or zoomed (a PDF page by page), Word
 * documents as read-only text, and what cannot be shown said so, with Download. ←/→ move
 * between the files, Esc closes.
 */
export function FileViewer({ files, start, onClose }: { files: AttachmentView[]; start: number; onClose(): void }) {
  const t = useApp((s) => s.t);
  const save = useHistory((s) => s.save);
  const [index, setIndex] = useState(start);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const dialog = useRef<HTMLDivElement>(null);
  const file = files[index]!;
  const kind = previewKind(file);

  // At opening, and whenever the focus was in the view of the file just left (its pages, its
  // text): that view is gone, and the keys must still reach the viewer.
  useEffect(() => {
    if (!dialog.current?.contains(document.activeElement)) dialog.current?.focus();
  }, [index]);

  const move = (step: number) => {
    setIndex((i) => (i + step + files.length) % files.length);
    setZoom('fit');
  };

  return (
    <div className="viewer-backdrop">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-label={file.fileName}
        tabIndex={-1}
        className="viewer"
        onKeyDown={(e) => {
          // Keys inside a window opened from the viewer (a document's link) are that window's.
          if (e.target instanceof Element && e.target.closest('dialog')) return;
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowRight') move(1);
          else if (e.key === 'ArrowLeft') move(-1);
          else return;
          e.preventDefault();
        }}
      >
        <header className="viewer-bar">
          <span className="viewer-title">{file.fileName}</span>
          <span>{t('viewer.position', { index: index + 1, count: files.length })}</span>
          <button className="button" aria-label={t('viewer.previous')} onClick={() => move(-1)} disabled={files.length < 2}>
            ←
          </button>
          <button className="button" aria-label={t('viewer.next')} onClick={() => move(1)} disabled={files.length < 2}>
            →
          </button>
          {(kind === 'image' || kind === 'pdf') && (
            <>
              <button className="button" aria-label={t('viewer.zoomOut')} onClick={() => setZoom((z) => Math.max(0.25, (z === 'fit' ? 1 : z) / 1.5))}>
                −
              </button>
              <button className="button" aria-label={t('viewer.zoomIn')} onClick={() => setZoom((z) => Math.min(8, (z === 'fit' ? 1 : z) * 1.5))}>
                +
              </button>
              <button className="button" onClick={() => setZoom('fit')}>
                {t('viewer.fit')}
              </button>
            </>
          )}
          <button className="button" onClick={() => void save(file.id)}>
            {t('viewer.download')}
          </button>
          <button className="button" aria-label={t('viewer.close')} onClick={onClose}>
            ✕
          </button>
        </header>
        {/* Keyed by file: moving on starts the next one's view afresh (its loading, its scroll). */}
        {kind === 'image' ? (
          <ImageView key={file.id} image={file} zoom={zoom} />
        ) : kind === 'pdf' ? (
          <PdfView key={file.id} file={file} zoom={zoom} />
        ) : kind === 'docx' ? (
          <DocumentView key={file.id} document={file} />
        ) : (
          <NoPreview key={file.id} file={file} reason="type" />
        )}
      </div>
    </div>
  );
}
