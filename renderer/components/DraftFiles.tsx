import { useEffect, useMemo, useRef } from 'react';
import { checkMessage, problemMessage, totalMessages, type MessageCheck } from '../../common/attachment-policy';
import { fileBadge, shortenMiddle } from '../../common/attachment-display';
import { formatSize } from '../../common/size';
import { pluralForm } from '../../common/i18n';
import type { DraftView } from '../../preload/contract';
import type { DraftState } from '../stores/draft-store';
import { useApp } from '../stores/app';

interface Props {
  files: DraftView['files'];
  check: MessageCheck;
  /** The draft's store (the reply's or the new-message window's): Remove, Remove invalid files, Check again. */
  actions: Pick<DraftState, 'remove' | 'removeInvalid' | 'recheck'>;
  /** Where the focus goes when the last file was removed (the message field). */
  focusAfterLast?(): void;
}

/** The page's own check of a draft, with the text as typed; main checks everything again when sending. */
export function useDraftCheck(draft: DraftView | null, text: string): MessageCheck {
  const rules = useApp((s) => s.info!.attachmentRules);
  const files = draft?.files;
  return useMemo(() => checkMessage({ text, files: files ?? [] }, rules), [text, files, rules]);
}

/** A draft's files (invalid first with their hints, then newest), the size meter and the over-limit message. */
export function DraftFiles({ files, check, actions, focusAfterLast }: Props) {
  const t = useApp((s) => s.t);
  const rules = useApp((s) => s.info!.attachmentRules);
  const lang = useApp((s) => s.lang);
  const totals = totalMessages(check, rules, lang);
  // After a file is removed the focus goes to the row that took its place (or the one above),
  // so removing several from the keyboard is Enter, Enter, Enter — not a hunt from the top.
  const list = useRef<HTMLUListElement>(null);
  const removedAt = useRef<number | null>(null);
  useEffect(() => {
    const index = removedAt.current;
    if (index === null) return;
    removedAt.current = null;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('.composer-file .icon-button') ?? [];
    if (buttons.length === 0) return focusAfterLast?.();
    buttons[Math.min(index, buttons.length - 1)]!.focus();
  }, [files, focusAfterLast]);
  if (files.length === 0) return null;
  return (
    <div className="composer-files-box">
      <ul ref={list} className="composer-files" aria-label={t('composer.attachments')}>
        {files.map((f, index) => {
          const hint = f.problem ? problemMessage(f.problem, lang) : null;
          return (
            <li key={f.id} className={hint ? 'composer-file invalid' : 'composer-file'} aria-describedby={hint ? `hint-${f.id}` : undefined} title={f.fileName}>
              <span className="attachment-icon" aria-hidden="true">
                {fileBadge(f.fileName)}
              </span>
              <span className="attachment-name">{shortenMiddle(f.fileName, 30)}</span>
              <span className="attachment-size">{formatSize(f.size, lang)}</span>
              {hint && (
                <span id={`hint-${f.id}`} className="file-hint">
                  {t(hint.key, hint.params)}
                </span>
              )}
              {f.problem?.code === 'scan_unavailable' && (
                <button type="button" className="button recheck" onClick={() => void actions.recheck()}>
                  {t('composer.recheck')}
                </button>
              )}
              <button
                type="button"
                className="icon-button"
                aria-label={t('composer.remove', { name: f.fileName })}
                onClick={() => {
                  removedAt.current = index;
                  void actions.remove(f.id);
                }}
              >
                ✕
              </button>
            </li>
          );
        })}
      </ul>
      <div className="composer-meter">
        <span className="composer-count">
          {check.invalidCount > 0
            ? t('composer.filesWithErrors', { files: t(`composer.files.${pluralForm(lang, files.length)}`, { count: files.length }), invalid: check.invalidCount })
            : t(`composer.files.${pluralForm(lang, files.length)}`, { count: files.length })}
        </span>
        <span>{t(totals.meter.key, totals.meter.params)}</span>
        {totals.over && (
          <span role="alert" className="file-hint">
            {t(totals.over.key, totals.over.params)}
          </span>
        )}
        {check.invalidCount >= 2 && (
          <button type="button" className="button" onClick={() => void actions.removeInvalid()}>
            {t('composer.removeInvalid')}
          </button>
        )}
      </div>
    </div>
  );
}
