import { useCallback } from 'react';
import type { MessageView } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';
import { MessageItem } from './MessageItem';
import { VirtualList } from './VirtualList';

/** Messages oldest to newest, opened at the newest; only the rows in view are rendered. */
export function History() {
  const t = useApp((s) => s.t);
  const { messages, loading, error, notice, loadOlder } = useHistory();
  const key = useCallback((m: MessageView) => m.id, []);
  const render = useCallback((m: MessageView) => <MessageItem message={m} />, []);
  if (loading) return <p className="placeholder">{t('conversation.loading')}</p>;
  if (error) return <p role="alert">{t('error.generic', { message: error.message })}</p>;
  return (
    <>
      {notice && (
        <p role={notice.kind === 'error' ? 'alert' : 'status'} className={`notice notice-${notice.kind}`}>
          {notice.kind === 'saved' ? t('attachments.saved', { files: notice.text }) : notice.text}
        </p>
      )}
      {messages.length === 0 ? (
        <p className="placeholder">{t('conversation.empty')}</p>
      ) : (
        <VirtualList
          className="history"
          label={t('history.label')}
          items={messages}
          itemKey={key}
          estimate={160}
          stickToBottom
          onReachTop={() => void loadOlder()}
          renderItem={render}
        />
      )}
    </>
  );
}
