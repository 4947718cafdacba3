import { useApp } from '../stores/app';
import { useConversations } from '../stores/conversations';

/** The history and composer of the selected conversation live here. */
export function ConversationArea() {
  const t = useApp((s) => s.t);
  const selected = useConversations((s) => s.items.find((c) => c.id === s.selectedId));
  if (!selected) return <p className="placeholder">{t('conversation.placeholder')}</p>;
  return (
    <section className="conversation" aria-label={selected.clientName}>
      <h2>{selected.clientName}</h2>
      <p className="channel-name">{selected.channelName}</p>
    </section>
  );
}
