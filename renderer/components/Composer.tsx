import { useMemo, useRef, type ClipboardEvent, type DragEvent } from 'react';
import { checkMessage, dialogAccept, problemMessage, totalMessages } from '../../common/attachment-policy';
import { shortenMiddle, extensionOf } from '../../common/attachment-display';
import { formatSize } from '../../common/size';
import { api } from '../api';
import { useApp } from '../stores/app';
import { useComposer } from '../stores/composer';

/** The reply field with its attachments, fed by the one policy from the config. */
export function Composer() {
  const t = useApp((s) => s.t);
  const rules = useApp((s) => s.info!.attachmentRules);
  const { draft, text, busy, error, type, pick, attach, remove, removeInvalid, send } = useComposer();
  const input = useRef<HTMLInputElement>(null);
  const files = draft?.files ?? [];
  // The page's own check, with the text as typed; main checks everything again when sending.
  const check = useMemo(() => checkMessage({ text, files }, rules), [text, files, rules]);
  const totals = totalMessages(check, rules);

  const onAttachClick = () => (api.uploadFile ? input.current?.click() : void pick());
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void attach([...e.dataTransfer.files]);
  };
  const onPaste = (e: ClipboardEvent) => {
    if (e.clipboardData.files.length === 0) return;
    e.preventDefault();
    void attach([...e.clipboardData.files]);
  };

  if (!draft) return null;
  return (
    <form
      className="composer"
      aria-label={t('composer.label')}
      onSubmit={(e) => {
        e.preventDefault();
        if (check.canSend && !busy) void send();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      {files.length > 0 && (
        <div className="composer-files-box">
          <ul className="composer-files" aria-label={t('composer.attachments')}>
            {files.map((f) => {
              const hint = f.problem ? problemMessage(f.problem) : null;
              return (
                <li key={f.id} className={hint ? 'composer-file invalid' : 'composer-file'} aria-describedby={hint ? `hint-${f.id}` : undefined} title={f.fileName}>
                  <span className="attachment-icon" aria-hidden="true">
                    {extensionOf(f.fileName).slice(0, 4).toUpperCase() || 'FILE'}
                  </span>
                  <span className="attachment-name">{shortenMiddle(f.fileName, 30)}</span>
                  <span className="attachment-size">{formatSize(f.size)}</span>
                  {hint && (
                    <span id={`hint-${f.id}`} className="file-hint">
                      {t(hint.key, hint.params)}
                    </span>
                  )}
                  <button type="button" className="icon-button" aria-label={t('composer.remove', { name: f.fileName })} onClick={() => void remove(f.id)}>
                    ✕
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="composer-meter">
            <span>{t(totals.meter.key, totals.meter.params)}</span>
            {totals.over && (
              <span role="alert" className="file-hint">
                {t(totals.over.key, totals.over.params)}
              </span>
            )}
            {check.invalidCount >= 2 && (
              <button type="button" className="button" onClick={() => void removeInvalid()}>
                {t('composer.removeInvalid')}
              </button>
            )}
          </div>
        </div>
      )}
      <div className="composer-row">
        <textarea
          aria-label={t('composer.message')}
          placeholder={t('composer.placeholder')}
          value={text}
          rows={3}
          onChange={(e) => type(e.target.value)}
          onPaste={onPaste}
        />
        <button type="button" className="icon-button" aria-label={t('composer.attach')} title={t('composer.attach')} onClick={onAttachClick}>
          <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
          </svg>
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={dialogAccept(rules)}
          onChange={(e) => {
            void attach([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <button type="submit" className="button primary" disabled={!check.canSend || busy}>
          {t('composer.send')}
        </button>
      </div>
      {error && (
        <p role="alert" className="file-hint">
          {t('composer.sendFailed', { message: error })}
        </p>
      )}
    </form>
  );
}
