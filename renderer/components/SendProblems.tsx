import type { MessageView } from '../../preload/contract';
import { useFailureText } from '../failure-text';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';

/** A message of the operator's that did not go: failed, or waiting to be tried again after a failure. */
export function isSendProblem(m: MessageView): boolean {
  return m.direction === 'out' && (m.status === 'failed' || (m.status === 'queued' && m.error !== null));
}

/** What the message was, for the banner: a reply by its first words (its subject is the thread's), a new message by its subject. */
function nameOf(m: MessageView): string {
  const words = (m.kind === 'reply' ? m.text || m.subject : m.subject || m.text || '').replace(/\s+/g, ' ').trim();
  return words.length > 60 ? `${words.slice(0, 60)}…` : words;
}

/**
 * Failures you cannot miss: over the history, every message of this conversation that did not
 * go, why (in the operator's language), and what to do — Retry, Edit (back into the draft) or
 * Cancel send.
 */
export function SendProblems() {
  const t = useApp((s) => s.t);
  const reason = useFailureText();
  const messages = useHistory((s) => s.messages);
  const { retry, edit, cancelSend } = useHistory();
  const problems = messages.filter(isSendProblem);
  if (problems.length === 0) return null;
  return (
    <div className="send-problems" role="alert">
      {problems.map((m) => (
        <div key={m.id} className="send-problem">
          <p>
            {t(m.status === 'failed' ? 'sendProblem.failed' : 'sendProblem.retrying', {
              name: nameOf(m),
              reason: m.error ? reason(m.error) : '',
            })}
          </p>
          <div className="send-problem-actions">
            <button type="button" className="button" onClick={() => void retry(m.id)}>
              {t('message.retry')}
            </button>
            <button type="button" className="button" onClick={() => void edit(m.id)}>
              {t('sendProblem.edit')}
            </button>
            <button type="button" className="button" onClick={() => void cancelSend(m.id)}>
              {t('sendProblem.cancel')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
