import { useMemo, useState } from 'react';
import type { MessageView } from '../../preload/contract';
import { api } from '../api';
import { sanitizeMail } from '../sanitize';
import { useApp } from '../stores/app';
import { BodyTruncatedNote, type WholeBody } from './BodyTruncatedNote';

export function MessageBody({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const [showImages, setShowImages] = useState(false);
  // The history keeps only the start of a very long text; "Show the whole message" loads the rest.
  const [whole, setWhole] = useState<WholeBody | null>(null);
  const html = whole ? whole.html : message.html;
  const text = whole ? whole.text : message.text;
  const truncated = message.bodyTruncated && !whole ? <BodyTruncatedNote message={message} onWhole={setWhole} /> : null;
  const sanitized = useMemo(() => {
    if (!html) return null;
    const byCid = new Map(message.attachments.filter((a) => a.contentId).map((a) => [a.contentId!, a.id]));
    return sanitizeMail(html, {
      cidUrl: (cid) => (byCid.has(cid) ? api.fileUrl(byCid.get(cid)!) : null),
      allowRemoteImages: showImages,
    });
  }, [html, message.attachments, showImages]);

  if (!sanitized) return text || truncated ? <>{truncated}{text && <div className="message-text">{text}</div>}</> : null;
  return (
    <>
      {truncated}
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
