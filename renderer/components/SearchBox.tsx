import { useId } from 'react';
import type { ClientSearchResult } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useClientSearch } from '../stores/client-search';

const ATTRIBUTES = ['name', 'phone', 'email', 'externalId', 'messengerUsername'] as const;

function ResultRow({ client }: { client: ClientSearchResult }) {
  const others = ATTRIBUTES.filter((a) => a !== 'name' && client[a]);
  return (
    <li role="option" aria-selected="false" aria-label={client.name} tabIndex={-1} className="search-result">
      <span className="search-name">{client.matched === 'name' ? <mark>{client.name}</mark> : client.name}</span>
      <span className="search-attributes">
        {others.map((a) => (
          <span key={a} className="search-attribute">
            {client.matched === a ? <mark>{client[a]}</mark> : client[a]}
          </span>
        ))}
      </span>
    </li>
  );
}

/** The client search in the top right corner: any attribute, results as the operator types. */
export function SearchBox() {
  const t = useApp((s) => s.t);
  const id = useId();
  const { query, results, answered, type } = useClientSearch();
  const open = query.trim() !== '' && answered === query;
  return (
    <div className="search" role="search">
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={id}
        type="search"
        placeholder={t('search.placeholder')}
        autoComplete="off"
        value={query}
        aria-controls={`${id}-results`}
        onChange={(e) => type(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && type('')}
      />
      {open && (
        <div className="search-popup">
          {results.length === 0 ? (
            <p className="empty">{t('search.none')}</p>
          ) : (
            <ul id={`${id}-results`} role="listbox" aria-label={t('search.results')}>
              {results.map((c) => (
                <ResultRow key={c.id} client={c} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
