/**
 * Writing CSV (RFC 4180) that is safe to open in a spreadsheet. Pure.
 *
 * Formula injection (CWE-1236): a cell a spreadsheet reads as a formula (`=`, `+`, `-`, `@`,
 * and tab or carriage return, which some spreadsheets skip before looking) could run on the
 * analyst's machine. Campaign names, device ids and click ids come from ads and SDKs, i.e. from
 * anyone, so every text cell starting so is prefixed with `'` and quoted (OWASP's advice).
 * Numbers and booleans are written as they are: `-3` stays a number. The JSON export is the
 * unaltered data for programs.
 */

export const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (FORMULA_START.test(value)) return quote(`'${value}`);
  return NEEDS_QUOTES.test(value) ? quote(value) : value;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
