import { useId } from 'react';
import { useApp } from '../stores/app';

/** The client search field in the top right corner; results arrive with client search. */
export function SearchBox() {
  const t = useApp((s) => s.t);
  const id = useId();
  return (
    <div className="search" role="search">
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input id={id} type="search" placeholder={t('search.placeholder')} autoComplete="off" />
    </div>
  );
}
