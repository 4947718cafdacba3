import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientSearch } from '../../main/store/client-search-repo';
import { ClientsRepo } from '../../main/store/clients-repo';
import { openDatabase, type Db } from '../../main/store/database';
import { migrate } from '../../main/store/migrate';
import { migrations } from '../../main/store/migrations';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('postdesk-client-search-');
let db: Db;
let search: ClientSearch;

beforeAll(() => {
  db = openDatabase(path.join(tmp.dir, 'search.sqlite'));
  const clients = new ClientsRepo(db);
  clients.create({ name: 'Иванов Иван', phone: '+7 999 123-45-67', email: 'Ivan.Ivanov@Example.test', externalId: 'CRM-0042', messengerUsername: '@ivanov_i' });
  clients.create({ name: 'Иван', email: 'ivan@example.test' });
  clients.create({ name: 'Петров Иван', phone: '8 (912) 0000000' });
  clients.create({ name: 'Семёнов Пётр', externalId: 'crm-0042-b' });
  clients.create({ name: 'John Smith', phone: '+44 20 7946 0958', email: 'john@example.org', messengerUsername: 'jsmith' });
  clients.create({ name: 'Фёдорова Анна', phone: '8 (912) 555-44-33' });
  clients.create({ name: 'Сергеев Олег', phone: '+7 900 912-55-00' });
  search = new ClientSearch(db);
});
afterAll(() => {
  db.close();
  tmp.cleanup();
});

const names = (query: string): string[] => search.search(query).map((r) => r.name);

describe('client search on a real SQLite file', () => {
  it.each([
    ['+7 999 123-45-67', 'phone'],
    ['8 (999) 1234567', 'phone'],
    ['79991234567', 'phone'],
    ['9991234567', 'phone'],
    ['IVAN.IVANOV@example.TEST', 'email'],
    ['crm-0042', 'externalId'],
    ['@Ivanov_I', 'messengerUsername'],
    ['ivanov_i', 'messengerUsername'],
    ['Иванов Иван', 'name'],
  ] as const)('finds Иванов Иван by %j (matched: %s)', (query, matched) => {
    expect(search.search(query)[0]).toMatchObject({ name: 'Иванов Иван', matched, rank: 0 });
  });

  it('returns every field of the client', () => {
    expect(search.search('CRM-0042')[0]).toEqual({
      id: expect.any(Number),
      name: 'Иванов Иван',
      phone: '+7 999 123-45-67',
      email: 'Ivan.Ivanov@Example.test',
      externalId: 'CRM-0042',
      messengerUsername: '@ivanov_i',
      matched: 'externalId',
      rank: 0,
    });
  });

  it('finds a foreign number by its digits', () => {
    expect(search.search('+44 (20) 7946-0958')[0]).toMatchObject({ name: 'John Smith', matched: 'phone', rank: 0 });
  });

  it('finds «Иванов Иван» by «иван», exact before prefix before substring, ties by name', () => {
    expect(search.search('иван').map((r) => [r.name, r.rank])).toEqual([
      ['Иван', 0],
      ['Иванов Иван', 1],
      ['Петров Иван', 2],
    ]);
  });

  it('treats «ё» as «е» and ignores case', () => {
    expect(names('СЕМЕНОВ')).toEqual(['Семёнов Пётр']);
    // «пётр» is «петр»: a prefix of «Петров», a substring of «Семёнов Пётр».
    expect(names('пётр')).toEqual(['Петров Иван', 'Семёнов Пётр']);
  });

  it('finds by an external ID prefix, the exact ID first', () => {
    expect(search.search('CRM-0042').map((r) => [r.name, r.matched, r.rank])).toEqual([
      ['Иванов Иван', 'externalId', 0],
      ['Семёнов Пётр', 'externalId', 1],
    ]);
  });

  it('finds by a partly typed phone in either trunk writing', () => {
    expect(names('8 912 00')).toEqual(['Петров Иван']);
    expect(names('+7 912 00')).toEqual(['Петров Иван']);
  });

  it.each([
    ['555-44-33', 'the last seven digits, as written on a card', 'Фёдорова Анна'],
    ['5554433', 'the last seven digits', 'Фёдорова Анна'],
    ['25554', 'five digits from the middle', 'Фёдорова Анна'],
    ['9460958', 'the end of a foreign number', 'John Smith'],
    ['1234567', 'the end of a number, whatever else it is', 'Иванов Иван'],
  ])('finds a client by %j: %s', (query, _what, name) => {
    expect(search.search(query).map((r) => [r.name, r.matched, r.rank])).toEqual([[name, 'phone', 2]]);
  });

  it('finds every client whose number holds the digits, after those whose number starts with them', () => {
    expect(search.search('91255').map((r) => [r.name, r.rank])).toEqual([['Фёдорова Анна', 1], ['Сергеев Олег', 2]]);
  });

  it('takes a number written from its start (+…) only as a start, and four digits as nothing', () => {
    expect(names('+7 555 44')).toEqual([]);
    expect(names('4433')).toEqual([]);
  });

  it('respects the limit', () => {
    expect(search.search('иван', 2)).toHaveLength(2);
  });

  it('returns [] for a query that finds nothing, and for an empty one', () => {
    expect(search.search('Несуществующий')).toEqual([]);
    expect(search.search('nobody@nowhere.test')).toEqual([]);
    expect(search.search('   ')).toEqual([]);
  });

  it.each(['+7 999 123-45-67', '555-44-33', 'ivan@example.test', 'crm-0042', '@ivanov_i', 'иван', 'ив'])(
    'answers %j from indexes, never by scanning clients',
    (query) => {
      const plans = search.explain(query);
      expect(plans.length).toBeGreaterThan(0);
      for (const { plan } of plans) {
        expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX clients_\w+_norm|clients_(name|phone)_fts/);
        expect(plan.filter((line) => /^SCAN clients\b(?!_(name|phone)_fts)/.test(line))).toEqual([]);
      }
    },
  );

  it('keeps the trigram index in step when a name changes or a client is deleted', () => {
    const id = new ClientsRepo(db).create({ name: 'Временный Клиент' }).id;
    expect(names('ременн')).toEqual(['Временный Клиент']);
    db.prepare("UPDATE clients SET name_norm = 'постоянный клиент' WHERE id = ?").run(id);
    expect(names('ременн')).toEqual([]);
    db.prepare('DELETE FROM clients WHERE id = ?').run(id);
    expect(names('остоянн')).toEqual([]);
    // FTS5 throws on 'integrity-check' when the index and the clients table disagree.
    expect(() => db.prepare("INSERT INTO clients_name_fts (clients_name_fts) VALUES ('integrity-check')").run()).not.toThrow();
  });

  it('keeps the phone digits index in step when a number changes or a client is deleted', () => {
    const id = new ClientsRepo(db).create({ name: 'Временный Номер', phone: '+7 901 765-43-21' }).id;
    expect(names('765-43-21')).toEqual(['Временный Номер']);
    db.prepare("UPDATE clients SET phone_norm = '9017000000' WHERE id = ?").run(id);
    expect(names('765-43-21')).toEqual([]);
    expect(names('17000')).toEqual(['Временный Номер']);
    db.prepare('DELETE FROM clients WHERE id = ?').run(id);
    expect(names('17000')).toEqual([]);
    expect(() => db.prepare("INSERT INTO clients_phone_fts (clients_phone_fts) VALUES ('integrity-check')").run()).not.toThrow();
  });
});

describe('clients written before migration 003', () => {
  it('are filled in when the file is opened and then found', () => {
    const file = path.join(tmp.dir, 'older.sqlite');
    const old = new Database(file);
    migrate(old, migrations.slice(0, 2));
    old
      .prepare('INSERT INTO clients (name, phone, email, external_id, messenger_username, created_at) VALUES (?, ?, ?, ?, ?, 0)')
      .run('Фёдоров Фёдор', '8-912-555-44-33', 'Fedor@Example.test', 'EXT-7', '@fedor');
    old.close();

    const reopened = openDatabase(file);
    const found = new ClientSearch(reopened);
    expect(found.search('федор')[0]).toMatchObject({ name: 'Фёдоров Фёдор', matched: 'name', rank: 1 });
    expect(found.search('doров')).toEqual([]);
    expect(found.search('9125554433')[0]).toMatchObject({ matched: 'phone', rank: 0 });
    expect(found.search('555-44-33')[0]).toMatchObject({ name: 'Фёдоров Фёдор', matched: 'phone', rank: 2 });
    expect(found.search('@FEDOR')[0]).toMatchObject({ matched: 'messengerUsername', rank: 0 });
    expect(new ClientsRepo(reopened).backfillSearchColumns()).toBe(0);
    reopened.close();
  });
});

describe('clients written before migration 009 (phone digits)', () => {
  it('are found by a part of their number once the file is opened', () => {
    const file = path.join(tmp.dir, 'before-009.sqlite');
    const old = new Database(file);
    migrate(old, migrations.slice(0, 8));
    new ClientsRepo(old).create({ name: 'Старый Клиент', phone: '+7 (903) 111-22-33' });
    old.close();

    const reopened = openDatabase(file);
    expect(new ClientSearch(reopened).search('111-22-33')[0]).toMatchObject({ name: 'Старый Клиент', matched: 'phone', rank: 2 });
    reopened.close();
  });
});
