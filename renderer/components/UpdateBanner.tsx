// Restart to update, once the desktop app has downloaded an update (renderer/stores/updates.ts).
import { useApp } from '../stores/app';
import { useUpdates } from '../stores/updates';

export function UpdateBanner() {
  const t = useApp((s) => s.t);
  const { ready, restarting, error, restart } = useUpdates();
  if (ready === null) return null;
  return (
    <div role="status" className="update-banner">
      <span>{t('update.ready', { version: ready })}</span>
      <button type="button" className="button" disabled={restarting} onClick={() => void restart()}>
        {t('update.restart')}
      </button>
      {error !== null && (
        <span role="alert" className="update-banner-error">
          {t('update.restartFailed', { message: error })}
        </span>
      )}
    </div>
  );
}
