/**
 * Exchange rates an operator loads for an app (docs/api.md, "Currencies"): per UTC day, how many
 * units of `to_currency` (the app's reporting currency) one unit of `currency` is worth. Stored in
 * the event store beside costs, because the analytics queries join them at query time: rates may
 * be loaded after the revenue they convert, and a corrected rate corrects every answer at once.
 * Pure, except for the clock `importVersion` (cost-rows.ts) reads.
 */

/** One day's rate of one currency into another. */
export interface FxRateRow {
  /** 'YYYY-MM-DD', a UTC day */
  date: string;
  /** ISO-4217 code of the amounts converted */
  currency: string;
  /** ISO-4217 code of the reporting currency they are converted into */
  to_currency: string;
  /** units of `to_currency` per unit of `currency`; finite and > 0 */
  rate: number;
}

export type FxRateKey = Pick<FxRateRow, 'date' | 'currency' | 'to_currency'>;

export interface FxRateFilter {
  /** first day, 'YYYY-MM-DD' */
  from?: string;
  /** last day, 'YYYY-MM-DD', inclusive */
  to?: string;
  currency?: string;
  to_currency?: string;
  /** at most this many rows (default and maximum 5000) */
  limit?: number;
}

export const FX_RATE_COLUMNS = ['app_id', 'date', 'currency', 'to_currency', 'rate', 'imported_at'] as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CODE = /^[A-Z]{3}$/;

export class FxRateInputError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`exchange rate row ${index}: ${message}`);
    this.name = 'FxRateInputError';
  }
}

function isStorableDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value && ms >= 0 && ms <= Date.UTC(2149, 5, 6);
}

/** Checks every row (the API checked them already; this guards other callers) and keeps the last of rows sharing a key. */
export function normalizeFxRates(rows: readonly FxRateRow[]): FxRateRow[] {
  const byKey = new Map<string, FxRateRow>();
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null) throw new FxRateInputError(index, 'is not an object');
    if (typeof row.date !== 'string' || !isStorableDay(row.date)) throw new FxRateInputError(index, '`date` must be a day YYYY-MM-DD');
    for (const field of ['currency', 'to_currency'] as const) {
      if (typeof row[field] !== 'string' || !CODE.test(row[field]))
        throw new FxRateInputError(index, `\`${field}\` must be an ISO-4217 code`);
    }
    if (row.currency === row.to_currency) throw new FxRateInputError(index, '`currency` and `to_currency` must differ');
    if (typeof row.rate !== 'number' || !Number.isFinite(row.rate) || row.rate <= 0)
      throw new FxRateInputError(index, '`rate` must be > 0');
    const clean = { date: row.date, currency: row.currency, to_currency: row.to_currency, rate: row.rate };
    const key = JSON.stringify([clean.date, clean.currency, clean.to_currency]);
    byKey.delete(key);
    byKey.set(key, clean);
  });
  return [...byKey.values()];
}

/** The values of one rate row, in `FX_RATE_COLUMNS` order. */
export function fxRateValues(appId: string, version: number): (row: FxRateRow) => (string | number)[] {
  return (row) => [appId, row.date, row.currency, row.to_currency, row.rate, version];
}

/**
 * The `fx_rates` table: ReplacingMergeTree keyed by (app, reporting currency, currency, day), the
 * newest import wins (read with argMax, so an unmerged re-import is already the answer). No
 * block dedupe, for the reason costs have none (A, B, A again must end at A).
 */
export const FX_RATES_DDL = `
CREATE TABLE IF NOT EXISTS fx_rates (
  app_id LowCardinality(String),
  date Date,
  currency LowCardinality(String),
  to_currency LowCardinality(String),
  rate Float64,
  imported_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(imported_at)
PARTITION BY toYear(date)
ORDER BY (app_id, to_currency, currency, date)`;

/** The current rate of each (day, currency, to_currency), newest day first, filtered; `{dfrom} {dto}` inclusive days. */
export const FX_RATES_LIST_SQL = `
SELECT toString(date) AS day, toString(currency) AS cur, toString(to_currency) AS to_cur, argMax(rate, imported_at) AS r
FROM fx_rates
WHERE app_id = {app:String} AND date >= toDate({dfrom:String}) AND date <= toDate({dto:String})
  AND ({cur:String} = '' OR currency = {cur:String}) AND ({to_cur:String} = '' OR to_currency = {to_cur:String})
GROUP BY date, currency, to_currency
ORDER BY date DESC, cur, to_cur
LIMIT {limit:UInt32}`;

/** One (day, currency, to_currency) gone: a lightweight delete, so reads see it at once. */
export const FX_RATES_DELETE_SQL = `
DELETE FROM fx_rates WHERE app_id = {app:String} AND date = toDate({day:String}) AND currency = {cur:String} AND to_currency = {to_cur:String}`;
