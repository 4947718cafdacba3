import { afterAll, describe, expect, it } from 'vitest';
import { ClientService } from '../../main/clients/client-service';
import { ClientsRepo } from '../../main/store/clients-repo';
import { openDatabase } from '../../main/store/database';
import { ClientSearch } from '../../main/store/client-search-repo';
import { tempDir } from '../support/temp-dir';
import { thrownBy } from '../support/thrown';

describe('creating a client by hand', () => {
  const tmp = tempDir('postdesk-client-service-');
  const db = openDatabase(`${tmp.dir}/postdesk.sqlite`);
  const service = new ClientService(new ClientsRepo(db), (work) => db.transaction(work)());
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('refuses a bad e-mail or phone and a missing name, naming each field', () => {
    expect(thrownBy(() => service.create({ name: '  ', email: 'ivan@', phone: '12' }))).toMatchObject({
      code: 'invalid_input',
      details: {
        problems: [
          { field: 'name', code: 'required' },
          { field: 'phone', code: 'invalid_phone' },
          { field: 'email', code: 'invalid_email' },
        ],
      },
    });
  });

  it('shows the possible duplicates (same e-mail, phone in another writing, external ID) before saving, and saves when told to', () => {
    const first = service.create({ name: 'Иванов Иван', phone: '+7 999 123-45-67', email: 'Ivan@Example.test', externalId: 'CRM-1' });
    expect(first).toMatchObject({ status: 'created', client: { name: 'Иванов Иван', email: 'Ivan@Example.test' } });

    const again = { name: 'Иван И.', phone: '8 (999) 1234567', email: 'ivan@example.TEST', externalId: 'crm-1' };
    const outcome = service.create(again);
    expect(outcome).toMatchObject({ status: 'duplicates', duplicates: [{ name: 'Иванов Иван', sameAs: ['email', 'phone', 'externalId'] }] });
    expect(new ClientSearch(db).search('Иван И.')).toHaveLength(0);

    const saved = service.create(again, { allowDuplicate: true });
    expect(saved).toMatchObject({ status: 'created', client: { name: 'Иван И.', phone: '8 (999) 1234567' } });
    // Saved clients are found by search at once.
    expect(new ClientSearch(db).search('8 999 123 45 67').map((c) => c.name).sort()).toEqual(['Иван И.', 'Иванов Иван']);
  });

  it('trims what the operator typed and stores empty attributes as absent', () => {
    const outcome = service.create({ name: '  Anna   Petrova ', phone: ' ', email: ' anna@example.test ', messengerUsername: '@anna' });
    expect(outcome).toMatchObject({ status: 'created', client: { name: 'Anna Petrova', phone: null, email: 'anna@example.test', externalId: null, messengerUsername: '@anna' } });
  });
});
