import { EVENT_CURRENCY } from './rollups.ts';
import { ROLLUP_HOURS, rawEdges } from './time-split.ts';

/**
 * Money in an app's reporting currency, converted at query time (docs/api.md, "Currencies").
 * Revenue is kept per currency (revenue_hourly and the raw events) and spend is stored in the
 * currency it was imported in (costs); both are converted with the day's rate of fx_rates into
 * `{ccy:String}`, the reporting currency. An amount already in it is taken as it is. An amount
 * without a rate for its day is multiplied by 0, so it never enters a total unconverted: the
 * caller reports it instead (`MISSING_RATES_SQL`).
 *
 * Each amount source yields `day` (Date) and `cur` (String) beside its amount; `withRates` joins
 * them to the rates (LEFT JOIN: a missing rate reads as 0) and `converted(x)` is the amount in the
 * reporting currency. Parameters: the range's (`{app} {from} {to} {hfrom} {hto}`) and `{ccy}`.
 */

const APP = 'app_id = {app:String}';

/** The UTC days [from, to) overlaps (as analytics-queries.ts DAYS_IN_RANGE; not imported, which would be a cycle). */
const DAYS_IN_RANGE = `{from:Int64} < {to:Int64} AND date >= toDate32(fromUnixTimestamp64Milli({from:Int64}, 'UTC')) AND date <= toDate32(fromUnixTimestamp64Milli({to:Int64} - 1, 'UTC'))`;

/** The current rate of each day `rateDays` (a condition on fx_rates' `date`) keeps into the reporting currency (the newest import wins). */
const rates = (rateDays: string) => `(
  SELECT date AS fx_day, toString(currency) AS fx_cur, argMax(rate, imported_at) AS fx_rate
  FROM fx_rates WHERE ${APP} AND to_currency = {ccy:String} AND ${rateDays}
  GROUP BY fx_day, fx_cur)`;

/**
 * `source` (rows with `day` and `cur`) with its day's rate beside each row as `fx_rate` (0 when
 * none). Rates are read for the days of [from, to) unless `rateDays` (a condition on fx_rates'
 * `date`) says which: a report that reads money past `to` (cohort LTV) must cover those days too.
 */
export function withRates(source: string, rateDays = DAYS_IN_RANGE): string {
  return `(${source}) AS u LEFT JOIN ${rates(rateDays)} AS fx ON u.day = fx.fx_day AND u.cur = fx.fx_cur`;
}

/** `amount` of a row of `withRates` in the reporting currency; 0 when its day has no rate. */
export function converted(amount: string): string {
  return `(${amount}) * if(u.cur = {ccy:String}, 1, fx_rate)`;
}

/**
 * 1 when a row of `withRates` is one `converted` leaves out: not in the reporting currency and
 * without a rate for its day (rates are > 0, so 0 is the LEFT JOIN's "none"); else 0.
 */
export const LACKS_RATE = `toUInt8(u.cur != {ccy:String} AND fx_rate = 0)`;

/**
 * Revenue of events in [from, to) as rows `{…keys, day, cur, r}`: whole hours from
 * revenue_hourly, the edges from raw events (left out when `rawEdges` is false: the range has
 * no partial hour). `rollupKeys` / `rawKeys` are `expression AS alias` over each table's
 * columns, the same aliases in the same order (grouped by position).
 */
export function revenueByDaySql(rollupKeys: readonly string[], rawKeys: readonly string[], amount = 'r', rawEdgesToo = true): string {
  const rk = rollupKeys.map((k) => `${k}, `).join('');
  const ek = rawKeys.map((k) => `${k}, `).join('');
  const group = (n: number) => Array.from({ length: n + 2 }, (_, i) => String(i + 1)).join(', ');
  const rollup = `
    SELECT ${rk}toDate(hour) AS day, toString(currency) AS cur, sum(revenue) AS ${amount}
    FROM revenue_hourly WHERE ${APP} AND ${ROLLUP_HOURS} GROUP BY ${group(rollupKeys.length)}`;
  if (!rawEdgesToo) return rollup;
  return `${rollup}
    UNION ALL
    SELECT ${ek}toDate(ts) AS day, ${EVENT_CURRENCY} AS cur, sum(revenue) AS ${amount}
    FROM events WHERE ${APP} AND ${rawEdges('ts')} AND revenue != 0 GROUP BY ${group(rawKeys.length)}`;
}

/** Converted revenue of the range, one row `{revenue}`; `rawEdges` as in revenueByDaySql. */
export function convertedRevenueSql(rawEdges: boolean): string {
  return `
SELECT round(sum(${converted('u.r')}), 6) AS revenue FROM ${withRates(revenueByDaySql([], [], 'r', rawEdges))}`;
}

/**
 * `convertedRevenueSql` and, from the same revenue rows, what it left out: `missing_rates`, the
 * (currency, day) pairs `MISSING_RATES_SQL` answers without spend, as `{currency, day_text}`
 * ordered by currency and day. A pair lacks a rate here (LACKS_RATE) exactly when it has no rate
 * row there, since rates are > 0 (fx-rate-rows.ts refuses others). Measured: +3 ms CPU on the
 * month's overview, against +23 ms for MISSING_RATES_SQL as its own statement or subquery (it
 * reads the revenue rows again).
 */
export function convertedRevenueAndMissingSql(rawEdges: boolean): string {
  return `
SELECT round(sum(${converted('u.r')}), 6) AS revenue,
  arrayMap(p -> CAST((p.1, toString(p.2)), 'Tuple(currency String, day_text String)'),
    arraySort(groupUniqArrayIf((u.cur, u.day), ${LACKS_RATE} = 1))) AS missing_rates
FROM ${withRates(revenueByDaySql([], [], 'r', rawEdges))}`;
}

/**
 * The (currency, day) pairs of the range that hold revenue (and spend, when `{costs:UInt8}` is
 * 1) in a currency other than the reporting one and have no rate into it: the amounts the
 * converted totals leave out. Rows `{currency, day}`, ordered.
 */
export const MISSING_RATES_SQL = `
SELECT cur AS currency, toString(day) AS day_text FROM (
  ${revenueByDaySql([], [])}
  UNION ALL
  SELECT date AS day, toString(currency) AS cur, sum(cost) AS r
  FROM costs FINAL WHERE ${APP} AND {costs:UInt8} = 1 AND ${DAYS_IN_RANGE} AND cost != 0 GROUP BY day, cur
)
WHERE cur != {ccy:String}
  AND (day, cur) NOT IN (SELECT date, toString(currency) FROM fx_rates WHERE ${APP} AND to_currency = {ccy:String} AND ${DAYS_IN_RANGE})
GROUP BY currency, day
ORDER BY currency, day`;
