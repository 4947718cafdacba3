import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ClientSearchResult } from '../../preload/contract';
import { useApp } from '../stores/app';
import { fieldsFromQuery } from '../stores/client-form';
import { useClientSearch } from '../stores/client-search';
import { useStores } from '../stores/context';

const ATTRIBUTES = ['name', 'phone', 'email', 'externalId', 'messengerUsername'] as const;

/**
 * One client found. The row itself is a button (reached with ↓ and ↑, as in a list of options)
 * that opens the client's conversation; Write outgoing beside it stays in the Tab order.
 */
function ResultRow({ client, onChoose, onWrite }: { client: ClientSearchResult; onChoose(): void; onWrite(): void }) {
  const t = useApp((s) => s.t);
  const id = useId();
  const withoutConversation = useClientSearch((s) => s.withoutConversation === client.id);
  const write = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Nothing to open: the operator is taken to what they can do instead.
    if (withoutConversation) write.current?.focus();
  }, [withoutConversation]);
  const others = ATTRIBUTES.filter((a) => a !== 'name' && client[a]);
  return (
    <li aria-label={client.name} className="search-result">
      <button type="button" className="search-choose" tabIndex={-1} aria-labelledby={`${id}-name`} aria-describedby={`${id}-attributes`} onClick={onChoose}>
        <span id={`${id}-name`} className="search-name">
          {client.matched === 'name' ? <mark>{client.name}</mark> : client.name}
        </span>
        <span id={`${id}-attributes`} className="search-attributes">
          {others.map((a) => (
            <span key={a} className="search-attribute">
              {client.matched === a ? <mark>{client[a]}</mark> : client[a]}
            </span>
          ))}
        </span>
      </button>
      {/* Shown on hover and on keyboard focus (CSS); always in the tab order. */}
      <button
        ref={write}
        type="button"
        className="button write-outgoing"
        aria-describedby={withoutConversation ? `${id}-none` : undefined}
        onClick={onWrite}
      >
        {t('search.writeOutgoing')}
      </button>
      {withoutConversation && (
        <p id={`${id}-none`} role="status" className="search-none">
          {t('search.noConversation', { name: client.name })}
        </p>
      )}
    </li>
  );
}

/** The client search in the top right corner: any attribute, results as the operator types. */
export function SearchBox() {
  const t = useApp((s) => s.t);
  const id = useId();
  const { query, results, answered, type, choose } = useClientSearch();
  const stores = useStores();
  // The results stay while the operator is in the search (field or a row's button) and hide
  // when they go elsewhere; coming back to the field shows them again.
  const [inside, setInside] = useState(false);
  const open = inside && query.trim() !== '' && answered === query;
  const field = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  /**
   * ↓ and ↑ move from row to row (from the field to the first; from a row's Write outgoing to the
   * next or previous row), Enter on a row opens the client's conversation; Esc goes back.
   */
  const onKeys = (e: KeyboardEvent) => {
    const rows = [...(list.current?.querySelectorAll<HTMLLIElement>('.search-result') ?? [])];
    const at = rows.findIndex((row) => row.contains(document.activeElement));
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = e.key === 'ArrowDown' ? Math.min(at + 1, rows.length - 1) : at - 1;
      e.preventDefault();
      if (next >= 0) rows[next]?.querySelector<HTMLButtonElement>('.search-choose')?.focus();
      else field.current?.focus();
    } else if (e.key === 'Escape' && at >= 0) {
      e.preventDefault();
      field.current?.focus();
    }
  };
  const write = (client: ClientSearchResult) => {
    type('');
    stores.outgoing.getState().open(client);
  };
  const openConversation = async (client: ClientSearchResult) => {
    await choose(client);
    // The conversation is open and the results are gone with the row that had the focus: it
    // returns to the (now empty) field rather than to the page itself.
    if (stores.clientSearch.getState().withoutConversation === null) field.current?.focus();
  };
  const create = () => {
    type('');
    stores.clientForm.getState().open(fieldsFromQuery(query));
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
        // The popup it fills, only while the popup is open: a reference to an element that is not
        // in the page is invalid (axe: aria-valid-attr-value) and tells a screen reader nothing.
        aria-controls={open ? `${id}-results` : undefined}
        onChange={(e) => type(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && type('')}
      />
      {open && (
        // Focusable, so a click anywhere in it keeps the focus inside the search (Safari does
        // not focus a clicked button, which would otherwise hide the results mid-click).
        <div id={`${id}-results`} className="search-popup" tabIndex={-1}>
          {results.length === 0 ? (
            <p className="empty">{t('search.none')}</p>
          ) : (
            <ul ref={list} aria-label={t('search.results')}>
              {results.map((c) => (
                <ResultRow key={c.id} client={c} onChoose={() => void openConversation(c)} onWrite={() => write(c)} />
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
