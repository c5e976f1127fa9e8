/**
 * Reading CSV as RFC 4180 defines it (and as spreadsheets write it): `,` separated, fields in
 * double quotes may hold commas, line breaks and `""` for a quote; lines end in CRLF or LF; a
 * leading byte-order mark (Excel's UTF-8 export) is skipped; blank lines are skipped. Pure.
 */

export interface CsvRecord {
  /** The line of the file the record starts on (1 = the first line), as an editor shows it. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    // A line with nothing on it is not a record (a trailing newline, a gap between blocks).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"' && field === '') {
      const start = line;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvSyntaxError(start, 'a quoted field is never closed (a `"` is missing)');
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(line, 'text follows a closing `"`; quote the whole field and write a quote inside it as `""`');
      }
      continue;
    }
    if (ch === ',') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && input[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
