import { useEffect, useMemo, useState } from 'react';
import type { DocumentPreview } from '../../../common/document-preview';
import type { AttachmentView } from '../../../preload/contract';
import { useApi } from '../../stores/context';
import type { MailLink } from '../../mail-mount';
import { sanitizeMail } from '../../sanitize';
import { useApp } from '../../stores/app';
import { LinkDialog } from '../LinkDialog';
import { MailContent } from '../MailContent';
import { Loading } from './Loading';
import { NoPreview } from './NoPreview';

/**
 * A Word document as read-only text. main converts it (attachments.preview); the HTML is then
 * treated exactly as a client's HTML mail: sanitized, shown in a shadow root, links opened only
 * after the operator saw where they go. It has no attachments and asks for no consent, so only
 * its own data: pictures show; nothing in it loads anything.
 */
export function DocumentView({ document }: { document: AttachmentView }) {
  const api = useApi();
  const t = useApp((s) => s.t);
  const [preview, setPreview] = useState<DocumentPreview | { status: 'blocked' } | { status: 'failed'; message: string } | null>(null);
  const [link, setLink] = useState<MailLink | null>(null);

  useEffect(() => {
    let current = true;
    void api.attachments.preview({ attachmentId: document.id }).then((result) => {
      if (!current) return;
      if (result.ok) setPreview(result.value);
      // main's check, done as the file was asked for, found a virus.
      else setPreview(result.error.details?.reason === 'infected' ? { status: 'blocked' } : { status: 'failed', message: result.error.message });
    });
    return () => {
      current = false;
    };
  }, [document.id]);

  const html = preview?.status === 'html' ? preview.html : null;
  const sanitized = useMemo(() => (html === null ? null : sanitizeMail(html, { cidUrl: () => null, remoteImageUrl: null })), [html]);

  if (!preview) return <Loading />;
  if (preview.status === 'failed') return <NoPreview file={document} reason={{ failed: preview.message }} />;
  if (preview.status !== 'html' || !sanitized) return <NoPreview file={document} reason={preview.status === 'html' ? 'unreadable' : preview.status} />;
  return (
    <div className="viewer-stage viewer-solid viewer-scroll" role="region" aria-label={t('viewer.documentText', { name: document.fileName })} tabIndex={0}>
      {preview.picturesLeftOut > 0 && <p className="viewer-note">{t('viewer.picturesLeftOut', { count: preview.picturesLeftOut })}</p>}
      <div className="viewer-document">
        <MailContent mail={sanitized} onLink={setLink} />
      </div>
      {link && <LinkDialog link={link} onClose={() => setLink(null)} />}
    </div>
  );
}
