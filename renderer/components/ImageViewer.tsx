import { useEffect, useRef, useState } from 'react';
import type { AttachmentView } from '../../preload/contract';
import { api } from '../api';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';

/** The images of one message: fit or zoom, ←/→ to move between them, Esc to close. */
export function ImageViewer({ images, start, onClose }: { images: AttachmentView[]; start: number; onClose(): void }) {
  const t = useApp((s) => s.t);
  const save = useHistory((s) => s.save);
  const [index, setIndex] = useState(start);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const dialog = useRef<HTMLDivElement>(null);
  const image = images[index]!;

  useEffect(() => {
    dialog.current?.focus();
  }, []);

  const move = (step: number) => {
    setIndex((i) => (i + step + images.length) % images.length);
    setZoom('fit');
  };

  return (
    <div className="viewer-backdrop">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-label={image.fileName}
        tabIndex={-1}
        className="viewer"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowRight') move(1);
          else if (e.key === 'ArrowLeft') move(-1);
          else return;
          e.preventDefault();
        }}
      >
        <header className="viewer-bar">
          <span className="viewer-title">{image.fileName}</span>
          <span>{t('viewer.position', { index: index + 1, count: images.length })}</span>
          <button className="button" aria-label={t('viewer.previous')} onClick={() => move(-1)} disabled={images.length < 2}>
            ←
          </button>
          <button className="button" aria-label={t('viewer.next')} onClick={() => move(1)} disabled={images.length < 2}>
            →
          </button>
          <button className="button" aria-label={t('viewer.zoomOut')} onClick={() => setZoom((z) => Math.max(0.25, (z === 'fit' ? 1 : z) / 1.5))}>
            −
          </button>
          <button className="button" aria-label={t('viewer.zoomIn')} onClick={() => setZoom((z) => Math.min(8, (z === 'fit' ? 1 : z) * 1.5))}>
            +
          </button>
          <button className="button" onClick={() => setZoom('fit')}>
            {t('viewer.fit')}
          </button>
          <button className="button" onClick={() => void save(image.id)}>
            {t('viewer.download')}
          </button>
          <button className="button" aria-label={t('viewer.close')} onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="viewer-stage">
          <img
            src={api.fileUrl(image.id)}
            alt={image.fileName}
            className={zoom === 'fit' ? 'viewer-image fit' : 'viewer-image'}
            style={zoom === 'fit' ? undefined : { transform: `scale(${zoom})` }}
          />
        </div>
      </div>
    </div>
  );
}
