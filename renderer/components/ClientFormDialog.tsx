import { useState, type FormEvent } from 'react';
import { checkClientFields, type ClientField, type ClientFields } from '../../common/client-fields';
import type { FieldProblem } from '../../common/domain/client';
import type { MessageKey } from '../../common/i18n';
import { useApp } from '../stores/app';
import { useClientForm } from '../stores/client-form';
import { Dialog } from './Dialog';

const FIELDS: Array<{ field: ClientField; label: MessageKey; type: string; autoComplete: string }> = [
  { field: 'name', label: 'client.name', type: 'text', autoComplete: 'name' },
  { field: 'phone', label: 'client.phone', type: 'tel', autoComplete: 'tel' },
  { field: 'email', label: 'client.email', type: 'email', autoComplete: 'email' },
  { field: 'externalId', label: 'client.externalId', type: 'text', autoComplete: 'off' },
  { field: 'messengerUsername', label: 'client.messengerUsername', type: 'text', autoComplete: 'off' },
];

export function problemKey(problem: Pick<FieldProblem, 'code'>): MessageKey {
  return `client.problem.${problem.code}`;
}

/** "Create client": the client's attributes, checked as typed; possible duplicates before saving. */
export function ClientFormDialog() {
  const t = useApp((s) => s.t);
  const { initial, duplicates, problems: refused, error, busy, save, useExisting, close } = useClientForm();
  const [fields, setFields] = useState<ClientFields>(() => ({ name: '', ...initial }));
  // Hints show once the operator has tried to save, not while the form is still empty.
  const [tried, setTried] = useState(false);
  const problems = tried ? [...checkClientFields(fields), ...refused] : [];
  const problemOf = (field: ClientField) => problems.find((p) => p.field === field);

  const onSubmit = (e: FormEvent, allowDuplicate = false) => {
    e.preventDefault();
    setTried(true);
    if (checkClientFields(fields).length === 0) void save(fields, allowDuplicate);
  };

  return (
    <Dialog title={t('client.title')} onClose={close}>
      <form className="dialog-form" onSubmit={(e) => onSubmit(e)} noValidate>
        {FIELDS.map(({ field, label, type, autoComplete }) => {
          const problem = problemOf(field);
          return (
            <label key={field} className="field">
              <span>{t(label)}</span>
              <input
                type={type}
                autoComplete={autoComplete}
                value={fields[field] ?? ''}
                required={field === 'name'}
                // The dialog opens on the first field the operator has to fill.
                data-autofocus={field === (initial?.name ? 'phone' : 'name')}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `client-${field}-hint` : undefined}
                onChange={(e) => setFields({ ...fields, [field]: e.target.value })}
              />
              {problem && (
                <span id={`client-${field}-hint`} className="file-hint">
                  {t(problemKey(problem))}
                </span>
              )}
            </label>
          );
        })}
        {duplicates.length > 0 && (
          <section className="duplicates" role="alert">
            <p>{t('client.duplicates')}</p>
            <ul aria-label={t('client.duplicates')}>
              {duplicates.map((d) => (
                <li key={d.id}>
                  <strong>{d.name}</strong> — {d.sameAs.map((f) => t(`client.sameAs.${f}`)).join(', ')}
                  <span className="search-attributes">{[d.phone, d.email, d.externalId].filter(Boolean).join(' · ')}</span>
                  <button type="button" className="button" onClick={() => useExisting(d)}>
                    {t('client.writeToExisting', { name: d.name })}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {error && (
          <p role="alert" className="file-hint">
            {t('client.saveFailed', { message: error })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            {t('dialog.cancel')}
          </button>
          {duplicates.length > 0 ? (
            <button type="button" className="button primary" disabled={busy} onClick={(e) => onSubmit(e, true)}>
              {t('client.saveAnyway')}
            </button>
          ) : (
            <button type="submit" className="button primary" disabled={busy}>
              {t('client.save')}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
