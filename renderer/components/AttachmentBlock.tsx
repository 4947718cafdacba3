import { useState } from 'react';
import { formatSize } from '../../common/size';
import type { AttachmentView, MessageView } from '../../preload/contract';
import { useApi } from '../stores/context';
import { fileBadge, isImage, previewKind, shortenMiddle } from '../../common/attachment-display';
import { isInfected } from '../../common/attachment-policy';
import { checkLines } from '../attachment-check';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';
import { DownloadAllButton } from './DownloadAllButton';
import { FileViewer } from './FileViewer';

function AttachmentRow({ attachment, onOpen }: { attachment: AttachmentView; onOpen?: () => void }) {
  const api = useApi();
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const save = useHistory((s) => s.save);
  const name = attachment.fileName;
  const lines = checkLines(attachment.check, lang);
  const hintId = `attachment-check-${attachment.id}`;
  const blocked = isInfected(attachment);
  return (
    <li
      className={blocked ? 'attachment blocked' : lines.length > 0 ? 'attachment warned' : 'attachment'}
      title={name}
      aria-describedby={lines.length > 0 ? hintId : undefined}
    >
      {onOpen && !blocked ? (
        <button className="attachment-thumb" aria-label={t('attachments.open', { name })} onClick={onOpen}>
          {isImage(attachment) ? <img src={api.fileUrl(attachment.id)} alt="" loading="lazy" /> : fileBadge(name)}
        </button>
      ) : (
        <span className="attachment-icon" aria-hidden="true">
          {fileBadge(name)}
        </span>
      )}
      <span className="attachment-name">{shortenMiddle(name, 26)}</span>
      <span className="attachment-size">{formatSize(attachment.size, lang)}</span>
      {lines.length > 0 && (
        <span id={hintId} className="attachment-check">
          {lines.map((line) => t(line.key, line.params)).join(' · ')}
        </span>
      )}
      <button className="icon-button" aria-label={t('attachments.download', { name })} title={t('attachments.download', { name })} onClick={() => void save(attachment.id)}>
        ⤓
      </button>
    </li>
  );
}

/**
 * All of a message's files in one block, however many. Each opens in the viewer, whose ←/→ go
 * through the files it can show (images, PDFs, Word documents) in the order they came; any other
 * file opens alone there, to say it cannot be shown and offer Download.
 */
export function AttachmentBlock({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const [viewing, setViewing] = useState<{ files: AttachmentView[]; start: number } | null>(null);
  const files = message.attachments.filter((a) => !a.inline);
  if (files.length === 0) return null;
  // An infected file is not shown, not even in the viewer: main refuses its bytes anyway.
  const previewable = files.filter((a) => previewKind(a) !== null && !isInfected(a));
  const open = (a: AttachmentView) => () => setViewing(previewable.includes(a) ? { files: previewable, start: previewable.indexOf(a) } : { files: [a], start: 0 });
  return (
    <div className="attachments">
      <ul aria-label={t('attachments.label')} className="attachment-list">
        {files.map((a) => (
          <AttachmentRow key={a.id} attachment={a} onOpen={isInfected(a) ? undefined : open(a)} />
        ))}
      </ul>
      <DownloadAllButton message={message} />
      {viewing && <FileViewer files={viewing.files} start={viewing.start} onClose={() => setViewing(null)} />}
    </div>
  );
}
