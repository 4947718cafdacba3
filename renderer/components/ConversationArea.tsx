import { useApp } from '../stores/app';
import { useConversations } from '../stores/conversations';
import { Composer } from './Composer';
import { History } from './History';

/** The open conversation: who it is with, its history, and (for active ones) Complete. */
export function ConversationArea() {
  const t = useApp((s) => s.t);
  const selected = useConversations((s) => s.selected);
  const complete = useConversations((s) => s.complete);
  if (!selected) return <p className="placeholder">{t('conversation.placeholder')}</p>;
  return (
    <section className="conversation" aria-label={selected.clientName}>
      <header className="conversation-header">
        <div>
          <h2>{selected.clientName}</h2>
          <p className="channel-name">{selected.channelName}</p>
        </div>
        {selected.status === 'active' ? (
          <button className="button" onClick={() => void complete(selected.id)}>
            {t('conversation.complete')}
          </button>
        ) : (
          <span className="badge">{t('conversation.completed')}</span>
        )}
      </header>
      <History />
      <Composer />
    </section>
  );
}
