// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fieldsFromQuery } from '../../../renderer/stores/client-form';
import { fail, ok } from '../../support/fake-api';
import { client } from './samples';
import { wiredStores } from './wired-stores';

describe('Create client', () => {
  it.each([
    ['@bob_t', { name: '', messengerUsername: '@bob_t' }],
    ['bob@example.com', { name: '', email: 'bob@example.com' }],
    ['+7 (999) 123-45-67', { name: '', phone: '+7 (999) 123-45-67' }],
    ['12-34', { name: '12-34' }],
    ['  Bob Stone ', { name: 'Bob Stone' }],
  ])('puts the search %j in the field it looks like', (query, fields) => {
    expect(fieldsFromQuery(query)).toEqual(fields);
  });

  it('saved, the form closes and Write outgoing opens for the new client', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('clients.create', ({ name, email }) => ok({ status: 'created', client: client({ id: 21, name, email: email ?? null }) }));
    stores.clientForm.getState().open({ name: 'Bob' });

    await stores.clientForm.getState().save({ name: 'Bob', email: 'bob@example.com' }, false);

    expect(stores.clientForm.getState()).toMatchObject({ initial: null, busy: false, error: null });
    expect(stores.outgoing.getState()).toMatchObject({ client: { id: 21, email: 'bob@example.com' }, step: 'channel' });
  });

  it('shows the possible duplicates instead, and one of them can be written to', async () => {
    const { fake, stores } = wiredStores();
    const existing = client({ id: 3, name: 'Robert' });
    fake.answer('clients.create', () => ok({ status: 'duplicates', duplicates: [{ ...existing, sameAs: ['email'] }] }));
    stores.clientForm.getState().open({ name: 'Bob' });

    await stores.clientForm.getState().save({ name: 'Bob', email: existing.email }, false);
    expect(stores.clientForm.getState().duplicates).toEqual([{ ...existing, sameAs: ['email'] }]);
    expect(stores.outgoing.getState().client).toBeNull();

    stores.clientForm.getState().useExisting(existing);
    expect(stores.clientForm.getState().initial).toBeNull();
    expect(stores.outgoing.getState().client).toEqual(existing);
  });

  it("shows main's refusal by field when it names one, else its words", async () => {
    const { fake, stores } = wiredStores();
    stores.clientForm.getState().open({ name: '' });
    fake.answer('clients.create', () => fail('Invalid client', 'invalid_input', { problems: [{ field: 'name', code: 'required' }] }));

    await stores.clientForm.getState().save({ name: '' }, false);
    expect(stores.clientForm.getState()).toMatchObject({ problems: [{ field: 'name', code: 'required' }], error: null });

    fake.answer('clients.create', () => fail('The database is locked'));
    await stores.clientForm.getState().save({ name: 'Bob' }, true);
    expect(stores.clientForm.getState()).toMatchObject({ problems: [], error: 'The database is locked', initial: { name: '' } });
    expect(fake.calls('clients.create').at(-1)).toEqual({ name: 'Bob', allowDuplicate: true });
  });
});
