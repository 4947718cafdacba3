import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importClientsCsv, type ImportDeps } from '../../main/clients/client-import';
import { AppError } from '../../main/errors';
import { ClientSearch } from '../../main/store/client-search-repo';
import { thrownBy } from '../support/thrown';
import { ClientsRepo } from '../../main/store/clients-repo';
import { openDatabase, type Db } from '../../main/store/database';
import { tempDir } from '../support/temp-dir';

const NOW = 1_700_000_000_000;
const tmp = tempDir('postdesk-client-import-');
let db: Db;
let clients: ClientsRepo;
let commits: number;
let fileNo = 0;

beforeEach(() => {
  db = openDatabase(path.join(tmp.dir, `import-${++fileNo}.sqlite`));
  clients = new ClientsRepo(db);
  clients.create({ name: 'Существующий Клиент', phone: '+7 999 123 45 67' }, 1);
  commits = 0;
});
afterEach(() => db.close());
afterAll(() => tmp.cleanup());

function deps(overrides: Partial<ImportDeps> = {}): ImportDeps {
  return {
    clients,
    transaction: (work) => {
      commits++;
      return db.transaction(work)();
    },
    now: () => NOW,
    ...overrides,
  };
}

const allClients = () =>
  db.prepare('SELECT name, phone, email, external_id, messenger_username, created_at FROM clients ORDER BY id').all();


// As Excel in a Russian locale saves "CSV (разделители — точки с запятой)": BOM, `;`, CRLF.
const FILE =
  '\uFEFF' +
  [
    'Name;Phone;E-mail;External ID;Username', //                       1
    'Иванов Иван;+7 999 111-22-33;ivanov@example.test;CRM-1;@ivanov', // 2
    '"Петров, Пётр";8 912 000 00 00;petrov@example.test;CRM-2;', //     3
    'Сидорова Анна;;anna@;CRM-3;', //                                   4 bad e-mail
    'Кузнецов Олег;12-34;oleg@example.test;;', //                       5 bad phone
    ';+7 912 555 44 33;noname@example.test;;', //                       6 no name
    'Смирнов;+7 900 000 00 01', //                                      7 two fields of five
    'Дубликат Телефона;8 (999) 123-45-67;;;', //                        8 the existing client's phone
    'Копия Иванова;;;crm-1;', //                                        9 line 2's external ID
    '', //                                                              10
    '  Только   Имя ;;;;@только_имя', //                                11
    'Ошибок Два;abc;not-an-email;;', //                                 12
    'Двойной;+7 999 111 22 33;PETROV@example.test;;', //                13 line 3's e-mail, line 2's phone
    ';;;;', //                                                          14 an empty spreadsheet row
  ].join('\r\n') +
  '\r\n';

describe('importing clients from CSV into a real SQLite file', () => {
  it('saves the good rows in one commit and reports every refused row with its line and reasons', () => {
    expect(importClientsCsv(FILE, deps())).toEqual({
      imported: 3,
      refused: [
        { line: 4, name: 'Сидорова Анна', problems: [{ field: 'email', code: 'invalid_email' }] },
        { line: 5, name: 'Кузнецов Олег', problems: [{ field: 'phone', code: 'invalid_phone' }] },
        { line: 6, name: '', problems: [{ field: 'name', code: 'required' }] },
        { line: 7, name: 'Смирнов', problems: [{ code: 'column_count', expected: 5, actual: 2 }] },
        { line: 8, name: 'Дубликат Телефона', problems: [{ field: 'phone', code: 'duplicate', clientName: 'Существующий Клиент' }] },
        { line: 9, name: 'Копия Иванова', problems: [{ field: 'externalId', code: 'duplicate', clientName: 'Иванов Иван' }] },
        {
          line: 12,
          name: 'Ошибок Два',
          problems: [
            { field: 'phone', code: 'invalid_phone' },
            { field: 'email', code: 'invalid_email' },
          ],
        },
        {
          line: 13,
          name: 'Двойной',
          problems: [
            { field: 'email', code: 'duplicate', clientName: 'Петров, Пётр' },
            { field: 'phone', code: 'duplicate', clientName: 'Иванов Иван' },
          ],
        },
      ],
    });
    expect(commits).toBe(1);

    expect(allClients()).toEqual([
      { name: 'Существующий Клиент', phone: '+7 999 123 45 67', email: null, external_id: null, messenger_username: null, created_at: 1 },
      { name: 'Иванов Иван', phone: '+7 999 111-22-33', email: 'ivanov@example.test', external_id: 'CRM-1', messenger_username: '@ivanov', created_at: NOW },
      { name: 'Петров, Пётр', phone: '8 912 000 00 00', email: 'petrov@example.test', external_id: 'CRM-2', messenger_username: null, created_at: NOW },
      { name: 'Только Имя', phone: null, email: null, external_id: null, messenger_username: '@только_имя', created_at: NOW },
    ]);
  });

  it('fills the search columns, so imported clients are found like any other', () => {
    importClientsCsv(FILE, deps());
    const search = new ClientSearch(db);
    expect(search.search('+7 912 000-00-00')[0]).toMatchObject({ name: 'Петров, Пётр', matched: 'phone' });
    expect(search.search('crm-1')[0]).toMatchObject({ name: 'Иванов Иван', matched: 'externalId' });
    expect(search.search('только_имя')[0]).toMatchObject({ name: 'Только Имя', matched: 'messengerUsername' });
  });

  it('reads a comma-separated file with the columns in another order and only a name column required', () => {
    const report = importClientsCsv('external_id,NAME\nA-1,"Smith, John"\nA-2,Иван\n', deps());
    expect(report).toEqual({ imported: 2, refused: [] });
    expect(allClients().slice(1)).toMatchObject([
      { name: 'Smith, John', external_id: 'A-1' },
      { name: 'Иван', external_id: 'A-2' },
    ]);
  });

  it('imports nothing when a save fails part-way', () => {
    let saves = 0;
    const failing: ImportDeps['clients'] = {
      findDuplicates: (client) => clients.findDuplicates(client),
      create: (client, now) => {
        if (++saves === 2) throw new Error('disk full');
        return clients.create(client, now);
      },
    };
    expect(() => importClientsCsv(FILE, deps({ clients: failing }))).toThrow('disk full');
    expect(saves).toBe(2); // the first client was written, then rolled back
    expect(allClients()).toHaveLength(1);
  });

  const EXPECTED = 'Expected columns: name (required), phone, email, externalId, messengerUsername.';
  it.each([
    ['no name column', 'phone;email\n+7 999 000 00 00;a@example.test\n', /no "name" column \(found: "phone", "email"\)/],
    ['an unknown column', 'name;phone;Адрес\nИван;;Москва\n', /unknown column "Адрес"/],
    ['the same column twice', 'name;email;E-mail\nИван;a@example.test;b@example.test\n', /email column twice \("email" and "E-mail"\)/],
    ['an empty file', '\uFEFF\r\n', /^The CSV file is empty/],
  ])('refuses a file with %s, naming the columns expected, and imports nothing', (_case, text, message) => {
    const error = thrownBy(() => importClientsCsv(text, deps()));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    expect((error as AppError).message).toContain(EXPECTED);
    expect(commits).toBe(0);
    expect(allClients()).toHaveLength(1);
  });

  it('refuses a file whose quote is never closed and imports nothing, not even the rows before it', () => {
    const error = thrownBy(() => importClientsCsv('name;phone\nИван;+7 999 000 00 00\n"Пётр;2\n', deps()));
    expect(error).toMatchObject({ code: 'invalid_input', details: { line: 3 } });
    expect(commits).toBe(0);
    expect(allClients()).toHaveLength(1);
  });

  it('refuses a row with a cell of nearly 20 MB as too long, with its line, and imports the rows around it', () => {
    const huge = `"${'8 999 '.repeat(3_000_000)}\r\n${'1'.repeat(1_000_000)}"`;
    const report = importClientsCsv(`name;phone\r\nПервый;\r\nОгромный;${huge}\r\nПоследний;+7 900 000 00 02\r\n`, deps());
    expect(report).toEqual({ imported: 2, refused: [{ line: 3, name: 'Огромный', problems: [{ field: 'phone', code: 'too_long' }] }] });
    expect(allClients().slice(1)).toMatchObject([{ name: 'Первый' }, { name: 'Последний', phone: '+7 900 000 00 02' }]);
  });

  it('stores cells a spreadsheet would take for formulas as the text they are', () => {
    const report = importClientsCsv('name;externalId;messengerUsername\n=1+1;-2;@SUM(A1)\n"=HYPERLINK(""http://evil.test"";""x"")";+3;\n', deps());
    expect(report).toEqual({ imported: 2, refused: [] });
    expect(allClients().slice(1)).toMatchObject([
      { name: '=1+1', external_id: '-2', messenger_username: '@SUM(A1)' },
      { name: '=HYPERLINK("http://evil.test";"x")', external_id: '+3', messenger_username: null },
    ]);
  });
});
