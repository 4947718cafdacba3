import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ClientSearchResult } from '../../preload/contract';
import { useApp } from '../stores/app';
import { fieldsFromQuery, useClientForm } from '../stores/client-form';
import { useClientSearch } from '../stores/client-search';
import { useOutgoing } from '../stores/outgoing';

const ATTRIBUTES = ['name', 'phone', 'email', 'externalId', 'messengerUsername'] as const;

function ResultRow({ client, onWrite }: { client: ClientSearchResult; onWrite(): void }) {
  const t = useApp((s) => s.t);
  const others = ATTRIBUTES.filter((a) => a !== 'name' && client[a]);
  return (
    <li aria-label={client.name} className="search-result">
      <span className="search-name">{client.matched === 'name' ? <mark>{client.name}</mark> : client.name}</span>
      <span className="search-attributes">
        {others.map((a) => (
          <span key={a} className="search-attribute">
            {client.matched === a ? <mark>{client[a]}</mark> : client[a]}
          </span>
        ))}
      </span>
      {/* Shown on hover and on keyboard focus (CSS); always in the tab order. */}
      <button type="button" className="button write-outgoing" onClick={onWrite}>
        {t('search.writeOutgoing')}
      </button>
    </li>
  );
}

/** The client search in the top right corner: any attribute, results as the operator types. */
export function SearchBox() {
  const t = useApp((s) => s.t);
  const id = useId();
  const { query, results, answered, type } = useClientSearch();
  // The results stay while the operator is in the search (field or a row's button) and hide
  // when they go elsewhere; coming back to the field shows them again.
  const [inside, setInside] = useState(false);
  const open = inside && query.trim() !== '' && answered === query;
  const field = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  /** ↓ and ↑ move between the rows' Write outgoing buttons (and from the field to the first); Esc goes back. */
  const onKeys = (e: KeyboardEvent) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('.write-outgoing') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = e.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : at - 1;
      e.preventDefault();
      if (next >= 0) buttons[next]?.focus();
      else field.current?.focus();
    } else if (e.key === 'Escape' && at >= 0) {
      e.preventDefault();
      field.current?.focus();
    }
  };
  const write = (client: ClientSearchResult) => {
    type('');
    useOutgoing.getState().open(client);
  };
  const create = () => {
    type('');
    useClientForm.getState().open(fieldsFromQuery(query));
  };
  return (
    <div
      className="search"
      role="search"
      onFocus={() => setInside(true)}
      onKeyDown={onKeys}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setInside(false);
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        ref={field}
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
        // Focusable, so a click anywhere in it keeps the focus inside the search (Safari does
        // not focus a clicked button, which would otherwise hide the results mid-click).
        <div className="search-popup" tabIndex={-1}>
          {results.length === 0 ? (
            <p className="empty">{t('search.none')}</p>
          ) : (
            <ul ref={list} id={`${id}-results`} aria-label={t('search.results')}>
              {results.map((c) => (
                <ResultRow key={c.id} client={c} onWrite={() => write(c)} />
              ))}
            </ul>
          )}
          <button type="button" className="button" onClick={create}>
            {t('search.createClient')}
          </button>
        </div>
      )}
    </div>
  );
}
