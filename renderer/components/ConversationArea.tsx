import { useEffect, useRef } from 'react';
import { useApp } from '../stores/app';
import { useConversations } from '../stores/conversations';
import { Composer } from './Composer';
import { History } from './History';
import { SendProblems } from './SendProblems';
import { replyingLine } from './SendConfirm';

/** The open conversation: who it is with, who else is replying, its history, and Complete (or back to Active). */
export function ConversationArea() {
  const t = useApp((s) => s.t);
  const selected = useConversations((s) => s.selected);
  const { complete, reopen, takeOver } = useConversations();
  // An opened conversation takes the focus: the next Tab goes into it, not to the sidebar's last button.
  const heading = useRef<HTMLHeadingElement>(null);
  const openedId = selected?.id;
  useEffect(() => {
    if (openedId !== undefined) heading.current?.focus();
  }, [openedId]);
  if (!selected) return <p className="placeholder">{t('conversation.placeholder')}</p>;
  return (
    <section className="conversation" aria-label={selected.clientName}>
      <header className="conversation-header">
        <div>
          <h2 ref={heading} tabIndex={-1}>
            {selected.clientName}
          </h2>
          <p className="channel-name">{selected.channelName}</p>
        </div>
        {selected.status === 'active' ? (
          <button className="button" onClick={() => void complete(selected.id)}>
            {t('conversation.complete')}
          </button>
        ) : (
          <div className="conversation-done">
            <span className="badge">{t('conversation.completed')}</span>
            <button className="button" onClick={() => void reopen(selected.id)}>
              {t('conversation.reopen')}
            </button>
          </div>
        )}
      </header>
      {selected.replying && (
        <div className={`claim ${selected.replying.stale ? 'claim-stale' : ''}`}>
          <p role="status">{replyingLine(selected.replying, t)}</p>
          <button className="button" onClick={() => void takeOver(selected.id)}>
            {t('team.takeOver')}
          </button>
        </div>
      )}
      <SendProblems />
      <History />
      <Composer />
    </section>
  );
}
