import type { MessageKey, Translate } from '../../common/i18n';
import type { ImportProblem } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useClientImport } from '../stores/client-import';
import { problemKey } from './ClientFormDialog';
import { Dialog } from './Dialog';

const FIELD_LABEL: Record<string, MessageKey> = {
  name: 'client.name',
  phone: 'client.phone',
  email: 'client.email',
  externalId: 'client.externalId',
  messengerUsername: 'client.messengerUsername',
};

function reason(t: Translate, problem: ImportProblem): string {
  if (problem.code === 'column_count') return t('import.columnCount', { expected: problem.expected, actual: problem.actual });
  if (problem.code === 'duplicate') return t(`import.duplicate.${problem.field}`, { name: problem.clientName });
  return t('import.fieldProblem', { field: t(FIELD_LABEL[problem.field]!), problem: t(problemKey(problem)) });
}

/** Clients from a CSV file, and a report of the rows refused and why. */
export function ImportClientsDialog() {
  const t = useApp((s) => s.t);
  const { open, busy, report, error, tooLarge, importFile, close } = useClientImport();
  if (!open) return null;
  return (
    <Dialog title={t('import.title')} onClose={close}>
      <div className="dialog-form">
        <p>{t('import.format')}</p>
        <label className="field">
          <span>{t('import.choose')}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importFile(file);
              e.target.value = '';
            }}
          />
        </label>
        {error && <p role="alert">{t('import.failed', { message: error })}</p>}
        {tooLarge && <p role="alert">{t('import.tooLarge')}</p>}
        {report && (
          <section role="status" className="import-report">
            <p>{t('import.imported', { count: report.imported })}</p>
            {report.refused.length > 0 && (
              <table aria-label={t('import.refused', { count: report.refused.length })}>
                <caption>{t('import.refused', { count: report.refused.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('import.line')}</th>
                    <th scope="col">{t('client.name')}</th>
                    <th scope="col">{t('import.why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.refused.map((row) => (
                    <tr key={row.line}>
                      <td>{row.line}</td>
                      <td>{row.name}</td>
                      <td>{row.problems.map((p) => reason(t, p)).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
    </Dialog>
  );
}
