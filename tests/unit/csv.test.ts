import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../main/clients/csv';
import { MAX_IMPORT_SIZE } from '../../preload/contract';
import { AppError } from '../../main/errors';
import { thrownBy } from '../support/thrown';

const fieldsOf = (text: string): string[][] => parseCsv(text).rows.map((r) => r.fields);

describe('parseCsv', () => {
  it('reads plain comma-separated records with their line numbers', () => {
    expect(parseCsv('name,phone\nИван,+7 999\nПётр,\n').rows).toEqual([
      { line: 1, fields: ['name', 'phone'] },
      { line: 2, fields: ['Иван', '+7 999'] },
      { line: 3, fields: ['Пётр', ''] },
    ]);
  });

  it('keeps delimiters inside quotes and unescapes doubled quotes', () => {
    expect(fieldsOf('a,b,c\n"Петров, Пётр","ООО ""Ромашка""","a;b"\n')).toEqual([
      ['a', 'b', 'c'],
      ['Петров, Пётр', 'ООО "Ромашка"', 'a;b'],
    ]);
  });

  it('reads a quoted empty field and a field that is only an escaped quote', () => {
    expect(fieldsOf('a,b\n"",""""\n')).toEqual([
      ['a', 'b'],
      ['', '"'],
    ]);
  });

  it('treats a quote inside an unquoted field as text', () => {
    expect(fieldsOf('a,b\nМонитор 27" ,x\n')).toEqual([
      ['a', 'b'],
      ['Монитор 27" ', 'x'],
    ]);
  });

  it('keeps newlines inside quotes and counts them for the records after', () => {
    const text = 'name,note\n"Иванов","первая\nвторая\r\nтретья"\nПетров,ok\r\nСидоров,"x\ry"\nКозлов,z';
    expect(parseCsv(text).rows).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Иванов', 'первая\nвторая\r\nтретья'] },
      { line: 5, fields: ['Петров', 'ok'] },
      { line: 6, fields: ['Сидоров', 'x\ry'] },
      { line: 8, fields: ['Козлов', 'z'] },
    ]);
  });

  it('chooses ; when the header has more semicolons than commas outside quotes', () => {
    expect(fieldsOf('name;phone;email\nПетров, Пётр;8 912;p@x.ru\n')).toEqual([
      ['name', 'phone', 'email'],
      ['Петров, Пётр', '8 912', 'p@x.ru'],
    ]);
    // Two commas in a quoted header cell do not outvote the semicolons around it.
    expect(fieldsOf('"a,b,c";d;e\n1;2;3')).toEqual([
      ['a,b,c', 'd', 'e'],
      ['1', '2', '3'],
    ]);
  });

  it('chooses , when the header has as many commas as semicolons, or more', () => {
    expect(fieldsOf('a;b,c\n1;2,3')).toEqual([
      ['a;b', 'c'],
      ['1;2', '3'],
    ]);
    expect(fieldsOf('"a;b;c",d\n1,2')).toEqual([
      ['a;b;c', 'd'],
      ['1', '2'],
    ]);
  });

  it('detects the delimiter from the header, not from a blank line before it', () => {
    expect(parseCsv('\r\n\r\na;b\n1;2').rows).toEqual([
      { line: 3, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('strips a UTF-8 BOM', () => {
    expect(fieldsOf('\uFEFFname;phone\r\nИван;1\r\n')).toEqual([
      ['name', 'phone'],
      ['Иван', '1'],
    ]);
  });

  it('reads CRLF, LF and CR line ends alike', () => {
    const expected = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ];
    expect(parseCsv('a,b\r\n1,2\r\n3,4\r\n').rows).toEqual(expected);
    expect(parseCsv('a,b\n1,2\n3,4').rows).toEqual(expected);
    expect(parseCsv('a,b\r1,2\r3,4\r').rows).toEqual(expected);
  });

  it('skips blank lines but keeps their count in the line numbers', () => {
    expect(parseCsv('a,b\n\n1,2\r\n\r\n\r\n3,4\n\n').rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('keeps a line of empty fields, which is a record and not a blank line', () => {
    expect(fieldsOf('a;b\n;\n""\n')).toEqual([['a', 'b'], ['', ''], ['']]);
  });

  it('has no records for an empty file or one of blank lines', () => {
    expect(parseCsv('').rows).toEqual([]);
    expect(parseCsv('\uFEFF\r\n\n').rows).toEqual([]);
  });

  it('refuses a quote left open at the end of the file, naming the line it opened on', () => {
    const text = 'name,note\nИван,ok\nПётр,"no end\nmore\n';
    const error = thrownBy(() => parseCsv(text));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_input', details: { line: 3 }, message: expect.stringMatching(/line 3\b/) });
  });
});

describe('parseCsv on hostile files', () => {
  const unclosedLine = (text: string) => (thrownBy(() => parseCsv(text)) as AppError).details;

  it('names the line an unclosed quote opened on, past quoted line breaks, a quote inside text and escaped quotes', () => {
    expect(unclosedLine('name,note\r\n"Иван","a\nb"\r\nМонитор 27",x\r\nПётр,"открыта ""в кавычках""\nи дальше\n')).toEqual({ line: 5 });
    // The quote's own line, not the line its record began on.
    expect(unclosedLine('a,b,c\n"x\ny","open')).toEqual({ line: 3 });
    expect(unclosedLine('a\r\r\n"')).toEqual({ line: 3 });
  });

  it('reads a file of 20 MB, the most the page sends, every record with its line', () => {
    const row = 'Иванов Иван;+7 999 111-22-33;ivanov@example.test;CRM-0000001;@ivanov\r\n';
    const spanning = '"ООО ""Ромашка""\r\nсклад";+7 999 111-22-34;;;\r\n';
    const block = row.repeat(999) + spanning;
    const blocks = Math.floor((MAX_IMPORT_SIZE - 100) / block.length);
    const rows = parseCsv(`name;phone;email;externalId;messengerUsername\r\n${block.repeat(blocks)}`).rows;
    expect(rows).toHaveLength(1 + blocks * 1000);
    // Each block takes 1,001 lines: 999 rows and one of two.
    expect(rows.at(-1)).toEqual({ line: 1 + blocks * 1001 - 1, fields: ['ООО "Ромашка"\r\nсклад', '+7 999 111-22-34', '', '', ''] });
    expect(rows.at(-2)).toEqual({ line: 1 + blocks * 1001 - 2, fields: ['Иванов Иван', '+7 999 111-22-33', 'ivanov@example.test', 'CRM-0000001', '@ivanov'] });
    // About 2 s on an idle machine; the limit is for two busy shared cores, not a measure (bench/import.ts is).
  }, 60_000);

  it('keeps NUL bytes as text and reads on past them', () => {
    expect(parseCsv('name;phone\nИв\0ан;\0\n"\0";2\n').rows).toEqual([
      { line: 1, fields: ['name', 'phone'] },
      { line: 2, fields: ['Ив\0ан', '\0'] },
      { line: 3, fields: ['\0', '2'] },
    ]);
  });

  it('leaves cells that a spreadsheet would take for formulas as the text they are', () => {
    expect(fieldsOf('name;phone\n=1+1;+7 999 000 00 01\n-2;@SUM(A1)\n"=HYPERLINK(""http://evil.test"";""x"")";\n')).toEqual([
      ['name', 'phone'],
      ['=1+1', '+7 999 000 00 01'],
      ['-2', '@SUM(A1)'],
      ['=HYPERLINK("http://evil.test";"x")', ''],
    ]);
  });

  it('reads CRLF, LF and CR mixed in one file, blank lines of each kind counted', () => {
    expect(parseCsv('a;b\r\n1;2\n3;4\r\r\n\n\r5;"x\r\ny\nz\r"\n6;7').rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 7, fields: ['5', 'x\r\ny\nz\r'] },
      { line: 11, fields: ['6', '7'] },
    ]);
  });

  it('keeps a field with text after its closing quote as it is written', () => {
    // A CRM that quotes without escaping: the operator sees what the file says, quotes and all.
    expect(fieldsOf('name,x\n"ООО "Ромашка"",1\n"Иванов" Иван,2\n')).toEqual([
      ['name', 'x'],
      ['"ООО "Ромашка""', '1'],
      ['"Иванов" Иван', '2'],
    ]);
  });
});
