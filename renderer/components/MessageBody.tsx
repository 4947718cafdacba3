import { useMemo, useState } from 'react';
import type { MessageView } from '../../preload/contract';
import { api } from '../api';
import { sanitizeMail } from '../sanitize';
import { useApp } from '../stores/app';

export function MessageBody({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const [showImages, setShowImages] = useState(false);
  const sanitized = useMemo(() => {
    if (!message.html) return null;
    const byCid = new Map(message.attachments.filter((a) => a.contentId).map((a) => [a.contentId!, a.id]));
    return sanitizeMail(message.html, {
      cidUrl: (cid) => (byCid.has(cid) ? api.fileUrl(byCid.get(cid)!) : null),
      allowRemoteImages: showImages,
    });
  }, [message.html, message.attachments, showImages]);

  if (!sanitized) return message.text ? <div className="message-text">{message.text}</div> : null;
  return (
    <>
      {sanitized.blockedImages > 0 && (
        <p className="images-blocked">
          {t('message.imagesBlocked')}{' '}
          <button className="button" onClick={() => setShowImages(true)}>
            {t('message.showImages')}
          </button>
        </p>
      )}
      {/* Sanitized above: no scripts, forms, frames, handlers or remote loads without consent. */}
      <div className="message-html" dangerouslySetInnerHTML={{ __html: sanitized.html }} />
    </>
  );
}
