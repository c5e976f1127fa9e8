import { CsvSyntaxError, parseCsv } from './csv-records.ts';

/**
 * The rows of an operator's import sheet (costs, exchange rates), before their fields are
 * checked: a JSON array's items or a CSV file's records under its header. The header is checked
 * here (unknown, repeated and missing columns); a record with the wrong number of fields carries
 * that as its `shape` problem. Pure.
 */
export type SheetWhere = { index: number } | { line: number };

export interface SheetProblem {
  index?: number;
  line?: number;
  field?: string;
  problem: string;
}

export interface SheetItem {
  where: SheetWhere;
  value: unknown;
  /** CSV: every value is text */
  fromText: boolean;
  /** a problem with the record's shape, found before its fields */
  shape?: string;
}

export function sheetItemsFromJson(body: unknown[]): SheetItem[] {
  return body.map((value, index) => ({ where: { index }, value, fromText: false }));
}

export function sheetItemsFromCsv(
  text: string,
  fields: readonly string[],
  required: readonly string[],
): { items: SheetItem[] } | { problems: SheetProblem[] } {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { problems: [{ line: err.line, problem: err.message.replace(/^line \d+: /, '') }] };
    throw err;
  }
  const [header, ...data] = records;
  if (!header) return { problems: [{ line: 1, problem: `the file is empty; its first line must name the columns: ${fields.join(',')}` }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const problems: SheetProblem[] = [];
  columns.forEach((c, i) => {
    if (!fields.includes(c)) problems.push({ line: header.line, field: c, problem: `unknown column; use ${fields.join(', ')}` });
    else if (columns.indexOf(c) !== i) problems.push({ line: header.line, field: c, problem: 'column named twice' });
  });
  for (const f of required) if (!columns.includes(f)) problems.push({ line: header.line, field: f, problem: 'required column missing' });
  if (problems.length > 0) return { problems };
  return {
    items: data.map((record) =>
      record.fields.length !== columns.length
        ? {
            where: { line: record.line },
            value: null,
            fromText: true,
            shape: `has ${record.fields.length} fields; the header has ${columns.length}`,
          }
        : { where: { line: record.line }, value: Object.fromEntries(columns.map((c, i) => [c, record.fields[i]])), fromText: true },
    ),
  };
}
