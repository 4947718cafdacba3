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

export function App() {
  const { info, loadError, t, load } = useApp();
  const clientFormOpen = useClientForm((s) => s.initial !== null);
  const showImport = useClientImport((s) => s.show);

  useEffect(() => {
    void load();
  }, [load]);

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
    </div>
  );
}
