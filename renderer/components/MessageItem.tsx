import { memo } from 'react';
import type { MessageView } from '../../preload/contract';
import { useFailureText } from '../failure-text';
import { formatTime } from '../format';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';
import { AttachmentBlock } from './AttachmentBlock';
import { MessageBody } from './MessageBody';
import { QuotedText } from './QuotedText';

function OutgoingStatus({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const reason = useFailureText();
  const progress = useHistory((s) => s.sending[message.id]);
  switch (message.status) {
    case 'queued':
      return <p className="status">{message.error ? t('message.status.queuedRetry', { reason: reason(message.error) }) : t('message.status.queued')}</p>;
    case 'sending': {
      const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : null;
      return (
        <p className="status">
          {percent === null ? t('message.status.sending') : t('message.status.sendingProgress', { percent })}
          <progress max={100} value={percent ?? undefined} aria-label={t('message.status.sending')} />
        </p>
      );
    }
    case 'sent':
      return <p className="status status-sent">{t('message.status.sent')}</p>;
    case 'failed':
      return (
        <p className="status status-failed">{t('message.status.failed', { reason: message.error ? reason(message.error) : '' })}</p>
      );
    default:
      return null;
  }
}

/**
 * Addresses worth seeing under the sender: an incoming mail's Reply-To when it asks for replies
 * elsewhere; an outgoing message's To and BCC as they were sent.
 */
function MessageAddresses({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const lines =
    message.direction === 'in'
      ? message.replyTo.length > 0 ? [t('message.replyTo', { addresses: message.replyTo.join(', ') })] : []
      : [
          ...(message.toAddress ? [t('message.to', { addresses: message.toAddress })] : []),
          ...(message.bcc.length > 0 ? [t('message.bcc', { addresses: message.bcc.join(', ') })] : []),
        ];
  return lines.map((line) => (
    <p key={line} className="message-address">
      {line}
    </p>
  ));
}

export const MessageItem = memo(function MessageItem({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const saveOriginal = useHistory((s) => s.saveOriginal);
  const incoming = message.direction === 'in';
  const sender = message.fromName || message.fromAddress || '';
  return (
    <article className={`message message-${message.direction}`} aria-label={`${sender}, ${formatTime(message.createdAt, lang)}`}>
      <header className="message-header">
        <span className="message-role">
          {incoming ? t('message.fromClient') : message.operator ? t('message.fromOperatorNamed', { name: message.operator }) : t('message.fromOperator')}
        </span>
        <span className="message-sender">{sender}</span>
        <time>{formatTime(message.createdAt, lang)}</time>
      </header>
      <MessageAddresses message={message} />
      <h3 className="message-subject">{message.subject || t('message.noSubject')}</h3>
      {!incoming && <OutgoingStatus message={message} />}
      {message.problems.length > 0 && (
        <div className="message-problems" role="note">
          <p>{t('message.problems')}</p>
          <ul>
            {message.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {message.hasOriginal && (
            <button className="button" onClick={() => void saveOriginal(message.id)}>
              {t('message.saveOriginal')}
            </button>
          )}
        </div>
      )}
      <MessageBody message={message} />
      {message.quote && <QuotedText quote={message.quote} />}
      <AttachmentBlock message={message} />
    </article>
  );
});
