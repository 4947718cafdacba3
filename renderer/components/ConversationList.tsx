import { useEffect } from 'react';
import type { ConversationStatus } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useConversations } from '../stores/conversations';
import { useAttention } from '../stores/attention';
import { formatTime } from '../format';
import { VirtualList } from './VirtualList';
import { replyingLine } from './SendConfirm';

const TABS: ConversationStatus[] = ['active', 'completed'];

export function ConversationList() {
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const { tab, items, error, selectedId, setTab, load, select } = useConversations();
  const unread = useAttention((s) => s.unread);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="conversations">
      <div role="tablist" aria-label={t('tabs.label')} className="tabs">
        {TABS.map((status) => (
          <button
            key={status}
            role="tab"
            id={`tab-${status}`}
            aria-selected={tab === status}
            aria-controls="conversation-list"
            className="tab"
            onClick={() => void setTab(status)}
          >
            {t(status === 'active' ? 'tabs.active' : 'tabs.completed')}
            {status === 'active' && unread > 0 && <span className="tab-count"> {unread}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="conversation-list" aria-labelledby={`tab-${tab}`} className="conversation-panel">
        {error && <p role="alert">{t('error.generic', { message: error.message })}</p>}
        {items.length === 0 && !error ? (
          <p className="empty">{t(tab === 'active' ? 'conversations.empty.active' : 'conversations.empty.completed')}</p>
        ) : (
          <VirtualList
            className="conversation-items"
            label={t(tab === 'active' ? 'tabs.active' : 'tabs.completed')}
            items={items}
            itemKey={(c) => c.id}
            estimate={64}
            renderItem={(c) => (
              <button
                className="conversation-item"
                aria-current={c.id === selectedId ? 'true' : undefined}
                onClick={() => select(c.id)}
              >
                <span className="client-name">
                  {c.unread && <span className="unread-dot" aria-label={t('conversations.unread')} />}
                  {c.clientName}
                </span>
                <span className="channel-name">{c.channelName}</span>
                <span className="subject">{c.lastSubject || t('conversations.noSubject')}</span>
                {c.replying && <span className="claim-line">{replyingLine(c.replying, t)}</span>}
                {c.sendProblem && (
                  <span className={`send-problem-line send-problem-${c.sendProblem}`}>
                    {t(c.sendProblem === 'failed' ? 'conversations.sendFailed' : 'conversations.sendRetrying')}
                  </span>
                )}
                {c.lastMessageAt !== null && <time className="time">{formatTime(c.lastMessageAt, lang)}</time>}
              </button>
            )}
          />
        )}
      </div>
    </section>
  );
}
