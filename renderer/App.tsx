import { useEffect } from 'react';
import { ChannelPanel } from './components/ChannelPanel';
import { ConversationArea } from './components/ConversationArea';
import { ConversationList } from './components/ConversationList';
import { SearchBox } from './components/SearchBox';
import { useApp } from './stores/app';

export function App() {
  const { info, loadError, t, load } = useApp();

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
      </header>
      <aside className="app-sidebar">
        <ConversationList />
        <ChannelPanel />
      </aside>
      <main className="app-main">
        <ConversationArea />
      </main>
    </div>
  );
}
