/**
 * Text-to-JS parsers shared by both adapters, so a row read through PGlite and through `pg`
 * has the same types. The defaults differ (pg: int8 as string, timestamp/date in local time;
 * PGlite: int8 as bigint beyond 2^53), which would leak into JSON answers.
 */

export const OID = {
  INT8: 20,
  NUMERIC: 1700,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INT8_ARRAY: 1016,
  NUMERIC_ARRAY: 1231,
  DATE_ARRAY: 1182,
  TIMESTAMP_ARRAY: 1115,
  TIMESTAMPTZ_ARRAY: 1185,
} as const;

/** int8 as a number; beyond ±2^53 it stays the exact decimal string rather than being rounded. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * numeric as a number when a double holds it exactly enough to print back the same digits
 * (≤ 15 significant digits); otherwise the exact decimal string. NaN/±Infinity as numbers.
 */
export function parseNumeric(text: string): number | string {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 15 ? Number(text) : text;
}

const TIMESTAMP_RE = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/**
 * timestamptz and timestamp (ISO DateStyle) as Date; a timestamp without zone is read as UTC so
 * the process time zone never shifts it. ±infinity become ±Infinity numbers, as pg does.
 */
export function parseTimestamp(text: string): Date | number {
  if (text === 'infinity') return Number.POSITIVE_INFINITY;
  if (text === '-infinity') return Number.NEGATIVE_INFINITY;
  const m = TIMESTAMP_RE.exec(text);
  if (!m) throw new Error(`unexpected timestamp text from the database: ${text}`);
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), ms);
  if (sign) {
    const offsetSeconds = Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0);
    date.setTime(date.getTime() - (sign === '-' ? -1 : 1) * offsetSeconds * 1000);
  }
  return date;
}

/** date as its calendar text 'YYYY-MM-DD': a calendar day has no instant, so no Date. */
export function parseDate(text: string): string {
  return text;
}

/** Element parsers by scalar oid; array oids map to their element's oid. */
export const SCALAR_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.INT8]: parseInt8,
  [OID.NUMERIC]: parseNumeric,
  [OID.DATE]: parseDate,
  [OID.TIMESTAMP]: parseTimestamp,
  [OID.TIMESTAMPTZ]: parseTimestamp,
};

export const ARRAY_ELEMENT_OID: Record<number, number> = {
  [OID.INT8_ARRAY]: OID.INT8,
  [OID.NUMERIC_ARRAY]: OID.NUMERIC,
  [OID.DATE_ARRAY]: OID.DATE,
  [OID.TIMESTAMP_ARRAY]: OID.TIMESTAMP,
  [OID.TIMESTAMPTZ_ARRAY]: OID.TIMESTAMPTZ,
};

/** Applies `parse` to every non-null leaf of a (possibly nested) array of element texts. */
export function mapArray(value: unknown, parse: (text: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapArray(v, parse));
  return value === null ? null : parse(value as string);
}
