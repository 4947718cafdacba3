import { useEffect } from 'react';
import { ChannelPanel } from './components/ChannelPanel';
import { ConversationArea } from './components/ConversationArea';
import { ConversationList } from './components/ConversationList';
import { ClientFormDialog } from './components/ClientFormDialog';
import { ImportClientsDialog } from './components/ImportClientsDialog';
import { OutgoingDialog } from './components/OutgoingDialog';
import { SearchBox } from './components/SearchBox';
import { useApp } from './stores/app';
import { useClientForm } from './stores/client-form';
import { useClientImport } from './stores/client-import';
import { useAttention } from './stores/attention';
import { useSignature } from './stores/signature';
import { SignatureDialog } from './components/SignatureDialog';
import { UpdateBanner } from './components/UpdateBanner';

export function App() {
  const { info, loadError, t, load } = useApp();
  const clientFormOpen = useClientForm((s) => s.initial !== null);
  const showImport = useClientImport((s) => s.show);
  const { unread, notifications, denied, toggleNotifications } = useAttention();
  const signature = useSignature();

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    document.title = unread > 0 ? t('app.titleUnread', { count: unread }) : t('app.title');
  }, [unread, t]);

  if (loadError) {
    return (
      <p role="alert" className="app-error">
        {loadError.code === 'forbidden' ? t('error.forbidden') : t('app.error', { message: loadError.message })}
      </p>
    );
  }
  if (!info) return <p className="app-loading">{t('app.loading')}</p>;

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">{t('app.title')}</h1>
        <SearchBox />
        <button type="button" className="button" onClick={showImport}>
          {t('search.import')}
        </button>
        <button type="button" className="button" onClick={signature.open}>
          {t('signature.open')}
        </button>
        <button
          type="button"
          className="icon-button notify-toggle"
          aria-pressed={notifications}
          aria-label={t(notifications ? 'notify.toggleOff' : 'notify.toggleOn')}
          title={t(notifications ? 'notify.toggleOff' : 'notify.toggleOn')}
          onClick={() => void toggleNotifications()}
        >
          {notifications ? '🔔' : '🔕'}
        </button>
        <UpdateBanner />
        {denied && (
          <p role="alert" className="notify-denied">
            {t('notify.denied')}
          </p>
        )}
      </header>
      <aside className="app-sidebar">
        <ConversationList />
        <ChannelPanel />
      </aside>
      <main className="app-main">
        <ConversationArea />
      </main>
      {clientFormOpen && <ClientFormDialog />}
      <OutgoingDialog />
      <ImportClientsDialog />
      {signature.editing && <SignatureDialog />}
    </div>
  );
}
