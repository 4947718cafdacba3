import { useMemo, useState } from 'react';
import type { MessageView } from '../../preload/contract';
import { useApi } from '../stores/context';
import type { MailLink } from '../mail-mount';
import { sanitizeMail } from '../sanitize';
import { useApp } from '../stores/app';
import { BodyTruncatedNote, type WholeBody } from './BodyTruncatedNote';
import { LinkDialog } from './LinkDialog';
import { MailContent } from './MailContent';

export function MessageBody({ message }: { message: MessageView }) {
  const api = useApi();
  const t = useApp((s) => s.t);
  const [showImages, setShowImages] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<MailLink | null>(null);
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
      remoteImageUrl: showImages ? (url) => api.remoteImageUrl(message.id, url) : null,
    });
  }, [message.id, html, message.attachments, showImages]);

  // Main fetches only the images the operator said yes to.
  const allowImages = async (urls: string[]) => {
    const result = await api.messages.showImages({ messageId: message.id, urls });
    if (result.ok) setShowImages(true);
    else setError(result.error.message);
  };

  if (!sanitized) return text || truncated ? <>{truncated}{text && <div className="message-text">{text}</div>}</> : null;
  return (
    <>
      {truncated}
      {sanitized.blockedImages.length > 0 && (
        <p className="images-blocked">
          {t('message.imagesBlocked')}{' '}
          <button className="button" onClick={() => void allowImages(sanitized.blockedImages)}>
            {t('message.showImages')}
          </button>
        </p>
      )}
      {error && (
        <p className="images-blocked" role="alert">
          {error}
        </p>
      )}
      {sanitized.insecureImages > 0 && (
        <p className="images-blocked">{t('message.imagesInsecure', { count: sanitized.insecureImages })}</p>
      )}
      <MailContent mail={sanitized} onLink={setLink} />
      {link && <LinkDialog link={link} onClose={() => setLink(null)} />}
    </>
  );
}
