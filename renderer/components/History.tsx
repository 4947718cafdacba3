import { useCallback } from 'react';
import type { MessageView } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useHistory, type Notice } from '../stores/history';
import { MessageItem } from './MessageItem';
import { SaveConfirm } from './SaveConfirm';
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
      {notice && <SaveNotice notice={notice} />}
      <SaveConfirm />
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
          newBelowLabel={t('history.newMessages')}
          onReachTop={() => void loadOlder()}
          renderItem={render}
        />
      )}
    </>
  );
}

function SaveNotice({ notice }: { notice: Notice }) {
  const t = useApp((s) => s.t);
  if (notice.kind === 'saved') {
    return (
      <p role="status" className="notice notice-saved">
        {t('attachments.saved', { files: notice.text })}
        {notice.leftOut.length > 0 && ` ${t('attachments.leftOut', { files: notice.leftOut.join(', ') })}`}
      </p>
    );
  }
  return (
    <p role="alert" className="notice notice-error">
      {notice.kind === 'blocked' ? t('attachments.blockedSave', { name: notice.fileName, signature: notice.signature }) : notice.text}
    </p>
  );
}
