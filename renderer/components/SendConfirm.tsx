import type { ClaimView, ConversationChange } from '../../preload/contract';
import type { Translate } from '../../common/i18n';
import { formatTime } from '../format';
import { useApp } from '../stores/app';
import { useComposer, useReply } from '../stores/composer';
import { Dialog } from './Dialog';

/** The line naming who is replying, for the conversation and its row in the list. */
export function replyingLine(claim: ClaimView, t: Translate): string {
  if (claim.stale) return claim.operator ? t('team.replyingStale', { name: claim.operator }) : t('team.replyingStaleUnknown');
  return claim.operator ? t('team.replying', { name: claim.operator }) : t('team.replyingUnknown');
}

function changeLine(change: ConversationChange, time: string, t: Translate): string {
  if (change.kind === 'client') return t('team.change.client', { name: change.name ?? '', time });
  return change.name ? t('team.change.operator', { name: change.name, time }) : t('team.change.operatorUnknown', { time });
}

/**
 * Before a reply goes out over another operator's live claim, or after the conversation changed
 * since the operator started writing: what happened, then "Send anyway" or "Cancel".
 */
export function SendConfirm() {
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const confirming = useComposer((s) => s.confirming);
  const cancel = useComposer((s) => s.cancelSend);
  const sendReply = useReply().send;
  if (!confirming) return null;
  const { replying, changes } = confirming;
  return (
    <Dialog title={t('team.confirm.title')} onClose={cancel}>
      <div className="dialog-form">
        {replying && (
          <p>{replying.operator ? t('team.confirm.replying', { name: replying.operator }) : t('team.confirm.replyingUnknown')}</p>
        )}
        {changes.length > 0 && (
          <>
            <p>{t('team.confirm.changes')}</p>
            <ul className="confirm-changes">
              {changes.map((c) => (
                <li key={`${c.kind}-${c.at}-${c.name}`}>{changeLine(c, formatTime(c.at, lang), t)}</li>
              ))}
            </ul>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" data-autofocus="true" onClick={cancel}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="button primary" onClick={() => void sendReply(true)}>
            {t('team.sendAnyway')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
