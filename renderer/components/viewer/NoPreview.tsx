import type { AttachmentView } from '../../../preload/contract';
import { useApp } from '../../stores/app';
import { useHistory } from '../../stores/history';

/** Why a file is not shown: its type is not one the viewer shows, it is too large, or it could not be read. */
export type NoPreviewReason = 'type' | 'too_large' | 'unreadable' | { failed: string };

/** Says why the file is not shown, and offers it for download, to be opened in its own program. */
export function NoPreview({ file, reason }: { file: AttachmentView; reason: NoPreviewReason }) {
  const t = useApp((s) => s.t);
  const save = useHistory((s) => s.save);
  const text =
    reason === 'type'
      ? t('viewer.noPreview')
      : reason === 'too_large'
        ? t('viewer.tooLarge')
        : reason === 'unreadable'
          ? t('viewer.unreadable')
          : t('viewer.failed', { reason: reason.failed });
  return (
    <div className="viewer-stage">
      <div className="viewer-message">
        <p>{text}</p>
        <button className="button" onClick={() => void save(file.id)}>
          {t('attachments.download', { name: file.fileName })}
        </button>
      </div>
    </div>
  );
}
