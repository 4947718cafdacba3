import { useApp } from '../../stores/app';

/** While a file's view is being prepared (its bytes fetched, its document converted). */
export function Loading() {
  const t = useApp((s) => s.t);
  return (
    <div className="viewer-stage viewer-solid">
      <p className="viewer-message">{t('viewer.loading')}</p>
    </div>
  );
}
