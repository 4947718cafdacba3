import { useState } from 'react';
import { useApp } from '../stores/app';
import { useSignature } from '../stores/signature';
import { Dialog } from './Dialog';

/** The operator's own signature: their lines under every message they send (the channel's follow). */
export function SignatureDialog() {
  const t = useApp((s) => s.t);
  const { editing, text, error, close, save } = useSignature();
  const [value, setValue] = useState(text);
  if (!editing) return null;
  return (
    <Dialog title={t('signature.title')} onClose={close}>
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label className="field">
          <span>{t('signature.field')}</span>
          <textarea rows={5} value={value} onChange={(e) => setValue(e.target.value)} data-autofocus="true" />
        </label>
        <p className="dialog-note">{t('signature.note')}</p>
        {error && <p role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" className="button primary">
            {t('client.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
