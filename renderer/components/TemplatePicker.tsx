import { useEffect, useId, useState } from 'react';
import type { DraftView, RequestOutput } from '../../preload/contract';
import { useApi } from '../stores/context';
import { useApp } from '../stores/app';
import { Dialog } from './Dialog';

type Template = RequestOutput<'templates.list'>[number];

interface Props {
  draft: DraftView;
  /** Puts the template's text where the cursor is in the message field. */
  insertText(text: string): void;
  /** The draft with the template's files attached. */
  attached(draft: DraftView): void;
}

/**
 * Insert template: a searchable list, keyboard first (type to filter, ↑/↓, Enter; Esc closes),
 * that puts the chosen template's text at the cursor and attaches its files; and the draft can
 * be saved as a template the whole team then has.
 */
export function TemplatePicker({ draft, insertText, attached }: Props) {
  const t = useApp((s) => s.t);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('templates.insert')}
      </button>
      {open && <TemplateDialog draft={draft} insertText={insertText} attached={attached} close={() => setOpen(false)} />}
    </>
  );
}

function TemplateDialog({ draft, insertText, attached, close }: Props & { close(): void }) {
  const api = useApi();
  const t = useApp((s) => s.t);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const listId = useId();

  useEffect(() => {
    void api.templates.list({ draftId: draft.id }).then((result) => (result.ok ? setTemplates(result.value) : setError(result.error.message)));
  }, [draft.id]);

  const words = query.trim().toLowerCase();
  const shown = (templates ?? []).filter((tpl) => !words || `${tpl.name}\n${tpl.text}`.toLowerCase().includes(words));
  const current = shown[Math.min(active, shown.length - 1)];

  const choose = async (template: Template) => {
    if (template.text) insertText(template.text);
    if (template.files.length > 0) {
      const result = await api.drafts.attachTemplate({ draftId: draft.id, templateId: template.id });
      if (!result.ok) return setError(result.error.message);
      attached(result.value);
    }
    close();
  };

  const save = async () => {
    const result = await api.templates.save({ draftId: draft.id, name });
    if (!result.ok) return setError(result.error.message);
    close();
  };

  return (
    <Dialog title={t('templates.title')} onClose={close}>
      <div className="dialog-form template-picker">
        <input
          type="search"
          role="combobox"
          aria-label={t('templates.search')}
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={current ? `${listId}-${current.id}` : undefined}
          value={query}
          data-autofocus="true"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive(Math.min(active + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setActive(Math.max(active - 1, 0));
            else if (e.key === 'Enter' && current) void choose(current);
            else return;
            e.preventDefault();
          }}
        />
        {templates === null && !error && <p>{t('app.loading')}</p>}
        {templates !== null && shown.length === 0 && <p className="empty">{t(templates.length === 0 ? 'templates.none' : 'templates.noMatch')}</p>}
        <ul id={listId} role="listbox" aria-label={t('templates.list')} className="template-list">
          {shown.map((tpl) => (
            <li
              key={tpl.id}
              id={`${listId}-${tpl.id}`}
              role="option"
              aria-selected={tpl === current}
              className="template-option"
              onClick={() => void choose(tpl)}
            >
              <span className="template-name">{tpl.name}</span>
              <span className="template-text">{tpl.text.split('\n')[0]}</span>
              {tpl.files.length > 0 && <span className="template-files">{tpl.files.join(', ')}</span>}
            </li>
          ))}
        </ul>
        {error && <p role="alert">{error}</p>}
        {/* Not a form: the picker may open inside the composer's own form. */}
        <div className="template-save">
          <label className="field">
            <span>{t('templates.saveName')}</span>
            <input
              type="text"
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                if (name.trim()) void save();
              }}
            />
          </label>
          <button type="button" className="button" disabled={!name.trim()} onClick={() => void save()}>
            {t('templates.save')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
