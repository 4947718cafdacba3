// CSV as spreadsheets write it (RFC 4180), read by csv-parse: a client list exported from Excel,
// LibreOffice or a CRM. What is ours is what the import promises around it: the delimiter
// Excel's locale chose, the line each record starts on, and where an unclosed quote opened.
import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../errors';

export interface CsvRow {
  /** 1-based physical line the record starts on, so a report can point the operator at it. */
  line: number;
  fields: string[];
}

/** Excel in a Russian locale writes `;` because `,` is the decimal separator there. */
function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let inQuotes = false;
  // Leading blank lines are skipped as everywhere else, so the header is the first non-empty one.
  for (let i = text.search(/[^\r\n]|$/); i < text.length; i++) {
    const c = text[i];
    // Toggling on every quote is right for `""` too: an escaped quote toggles twice.
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === '\r' || c === '\n') break;
    else if (c === ';') semicolons++;
    else if (c === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

/** CRLF, LF and CR each end one line, whichever a file uses, as in the records themselves. */
function lineBreaks(text: string): number {
  return /[\r\n]/.test(text) ? text.match(/\r\n|\r|\n/g)!.length : 0;
}

/**
 * The line of the quote a file ends inside. From that quote to the end every quote is doubled
 * (a single one would have closed the field), so it begins the last run of quotes of odd length;
 * a quote inside an unquoted field (`27"`) stands before it, in a record that was closed.
 */
function unclosedQuoteLine(text: string): number {
  let at = 0;
  for (const run of text.matchAll(/"+/g)) if (run[0].length % 2 === 1) at = run.index;
  return 1 + lineBreaks(text.slice(0, at));
}

/** The numbers of the lines with nothing on them (line breaks inside quoted fields count as lines, as editors show them). */
function emptyLines(text: string): Set<number> {
  const empty = new Set<number>();
  let line = 1;
  let lineStart = 0;
  for (const lineBreak of text.matchAll(/\r\n|\r|\n/g)) {
    if (lineBreak.index === lineStart) empty.add(line);
    line++;
    lineStart = lineBreak.index + lineBreak[0].length;
  }
  return empty;
}

export function parseCsv(text: string): { rows: CsvRow[] } {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let records: string[][];
  try {
    records = parse(input, {
      delimiter: detectDelimiter(input),
      // All three in one file, as files pasted together from several exports have them.
      record_delimiter: ['\r\n', '\n', '\r'],
      // A quote inside an unquoted field (`Монитор 27"`) is text, as Excel reads it.
      relax_quotes: true,
      // A row with too few or too many fields is the import's to report, with its line.
      relax_column_count: true,
      // Blank lines come as records of one empty field, so every line is counted below, where
      // they are dropped. csv-parse's own count (`info`) is no use: it gives the line a record
      // ends on, counts a CRLF inside quotes twice, and asking for it per record made a 20 MB
      // file 1.7 times (10 million short records 7 times) slower to read.
      skip_empty_lines: false,
    });
  } catch (error) {
    if (!(error instanceof CsvError) || error.code !== 'CSV_QUOTE_NOT_CLOSED') throw error;
    const line = unclosedQuoteLine(input);
    throw new AppError('invalid_input', `The CSV file ends inside a quoted field opened on line ${line}: its closing quote (") is missing.`, { line });
  }
  // `""` is a record of one empty field too, but it is written on its line; a blank line is not.
  const onlyEmptyField = (fields: string[]) => fields.length === 1 && fields[0] === '';
  const blank = records.some(onlyEmptyField) ? emptyLines(input) : new Set<number>();
  const rows: CsvRow[] = [];
  let line = 1;
  for (const fields of records) {
    if (!(onlyEmptyField(fields) && blank.has(line))) rows.push({ line, fields });
    // The next record starts after this one's lines, its quoted line breaks included.
    line += 1;
    for (const field of fields) line += lineBreaks(field);
  }
  return { rows };
}
