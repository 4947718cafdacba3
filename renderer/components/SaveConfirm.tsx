import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';
import { checkLines } from '../attachment-check';
import { Dialog } from './Dialog';

/** Asked once per save (one file, or all of a message) when files carry warnings: "Save anyway" or "Cancel". */
export function SaveConfirm() {
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const confirming = useHistory((s) => s.confirming);
  const confirmSave = useHistory((s) => s.confirmSave);
  const cancelSave = useHistory((s) => s.cancelSave);
  if (!confirming) return null;
  return (
    <Dialog title={t('attachments.confirm.title')} onClose={cancelSave}>
      <div className="dialog-form">
        <p>{t('attachments.confirm.text')}</p>
        <ul className="confirm-files">
          {confirming.files.map((f) => (
            <li key={f.fileName}>
              <strong>{f.fileName}</strong>
              {checkLines(f.check, lang).map((line) => (
                <span key={line.key} className="file-hint">
                  {t(line.key, line.params)}
                </span>
              ))}
            </li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={cancelSave}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="button primary" data-autofocus="true" onClick={() => void confirmSave()}>
            {t('attachments.confirm.saveAnyway')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
