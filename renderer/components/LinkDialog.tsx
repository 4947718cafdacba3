import { useState } from 'react';
import { hostNamedBy, linkTarget } from '../../common/mail-urls';
import { openLink } from '../api';
import type { MailLink } from '../mail-mount';
import { useApp } from '../stores/app';
import { Dialog } from './Dialog';

/**
 * A link from a mail opens only from here: the operator sees where it really goes (the host in
 * ASCII, so a look-alike IDN shows as xn--…), what the mail made it look like, and a warning for
 * unencrypted links or text that names another host.
 */
export function LinkDialog({ link, onClose }: { link: MailLink; onClose(): void }) {
  const t = useApp((s) => s.t);
  const [error, setError] = useState<string | null>(null);
  const target = linkTarget(link.href);
  if (!target) return null;
  const shownHost = hostNamedBy(link.text);
  const textDiffers = link.text !== '' && link.text !== target.href && `${link.text}/` !== target.href;
  const open = async () => {
    const result = await openLink(target.href);
    if (result.ok) onClose();
    else setError(result.error.message);
  };
  return (
    <Dialog title={t('mail.link.title')} onClose={onClose}>
      <div className="dialog-form link-dialog">
        <dl>
          <dt>{t('mail.link.address')}</dt>
          <dd className="link-target">{target.href}</dd>
          {target.host && (
            <>
              <dt>{t('mail.link.host')}</dt>
              <dd className="link-host">{target.host}</dd>
            </>
          )}
          {textDiffers && (
            <>
              <dt>{t('mail.link.text')}</dt>
              <dd>{link.text}</dd>
            </>
          )}
        </dl>
        {target.scheme === 'http' && <p className="file-hint">{t('mail.link.insecure')}</p>}
        {shownHost && target.host && shownHost !== target.host && (
          <p className="file-hint">{t('mail.link.textMismatch', { shown: shownHost, host: target.host })}</p>
        )}
        {error && (
          <p role="alert" className="file-hint">
            {t('mail.link.failed', { message: error })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="button primary" onClick={() => void open()}>
            {t('mail.link.open')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
