import type { AttachmentView } from '../../../preload/contract';
import { useApp } from '../../stores/app';
import { useHistory } from '../../stores/history';

/**
 * Why a file is not shown: its type is not one the viewer shows, it is too large, locked by a
 * password, could not be read, or main found a virus in it as it was opened (then it cannot be
 * downloaded either).
 */
export type NoPreviewReason = 'type' | 'too_large' | 'password' | 'unreadable' | 'blocked' | { failed: string };

const MESSAGES = {
  type: 'viewer.noPreview',
  too_large: 'viewer.tooLarge',
  password: 'viewer.password',
  unreadable: 'viewer.unreadable',
  blocked: 'viewer.blocked',
} as const;

/** Says why the file is not shown, and offers it for download, to be opened in its own program. */
export function NoPreview({ file, reason }: { file: AttachmentView; reason: NoPreviewReason }) {
  const t = useApp((s) => s.t);
  const save = useHistory((s) => s.save);
  const text = typeof reason === 'object' ? t('viewer.failed', { reason: reason.failed }) : t(MESSAGES[reason]);
  return (
    <div className="viewer-stage viewer-solid">
      <div className="viewer-message">
        <p>{text}</p>
        {reason !== 'blocked' && (
          <button className="button" onClick={() => void save(file.id)}>
            {t('attachments.download', { name: file.fileName })}
          </button>
        )}
      </div>
    </div>
  );
}
