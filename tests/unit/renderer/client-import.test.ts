// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_SIZE } from '../../../preload/contract';
import { createClientImportStore } from '../../../renderer/stores/client-import';
import { createFakeApi, fail, ok } from '../../support/fake-api';

function importing() {
  const fake = createFakeApi();
  const store = createClientImportStore(fake.api);
  store.getState().show();
  return { fake, store };
}

describe('Import clients', () => {
  it("sends the file's text and shows main's report", async () => {
    const { fake, store } = importing();
    const report = { imported: 1, refused: [{ line: 3, name: 'Eve', problems: [{ field: 'email' as const, code: 'invalid_email' as const }] }] };
    fake.answer('clients.import', () => ok(report));

    await store.getState().importFile(new File(['name,email\nBob,bob@example.com\nEve,eve\n'], 'clients.csv'));

    expect(fake.calls('clients.import')).toEqual([{ csv: 'name,email\nBob,bob@example.com\nEve,eve\n' }]);
    expect(store.getState()).toMatchObject({ open: true, busy: false, report, error: null });
  });

  it('says a file too large before reading it', async () => {
    const { fake, store } = importing();
    const huge = new File(['x'], 'huge.csv');
    Object.defineProperty(huge, 'size', { value: MAX_IMPORT_SIZE + 1 });

    await store.getState().importFile(huge);

    expect(store.getState()).toMatchObject({ tooLarge: true, busy: false, report: null });
    expect(fake.calls('clients.import')).toEqual([]);
  });

  it('says why main refused the file, and closing forgets it', async () => {
    const { fake, store } = importing();
    fake.answer('clients.import', () => fail('The file is not CSV'));

    await store.getState().importFile(new File(['\u0000'], 'clients.csv'));
    expect(store.getState()).toMatchObject({ busy: false, error: 'The file is not CSV' });

    store.getState().close();
    expect(store.getState()).toMatchObject({ open: false, error: null, report: null, tooLarge: false });
  });
});
