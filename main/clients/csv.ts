// CSV as spreadsheets write it (RFC 4180): enough to read a client list exported from Excel,
// LibreOffice or a CRM, without a dependency for one import screen.
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

export function parseCsv(text: string): { rows: CsvRow[] } {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = detectDelimiter(input);
  const rows: CsvRow[] = [];

  let fields: string[] = [];
  let field = '';
  let atFieldStart = true;
  // A line with nothing on it is no record, but `""` or `;` is one (of empty fields).
  let recordHasContent = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;

  const endRecord = () => {
    if (recordHasContent) rows.push({ line: recordLine, fields: [...fields, field] });
    fields = [];
    field = '';
    atFieldStart = true;
    recordHasContent = false;
  };

  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (inQuotes) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        if (c === '\n' || (c === '\r' && input[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      recordHasContent = true;
    } else {
      // A quote opens a quoted field only at its start; elsewhere (`5" screen`) it is text, as Excel reads it.
      if (c === '"' && atFieldStart) {
        inQuotes = true;
        quoteLine = line;
      } else {
        field += c;
      }
      atFieldStart = false;
      recordHasContent = true;
    }
  }
  if (inQuotes) {
    throw new AppError('invalid_input', `The CSV file ends inside a quoted field opened on line ${quoteLine}: its closing quote (") is missing.`, {
      line: quoteLine,
    });
  }
  endRecord();
  return { rows };
}
