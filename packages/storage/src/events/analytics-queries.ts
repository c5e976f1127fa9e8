import { activeUsersSql } from './active-users-sql.ts';
import type { TimeseriesInterval, TimeseriesMetric } from './analytics-types.ts';
import { converted, convertedRevenueAndMissingSql, convertedRevenueSql, revenueByDaySql, withRates } from './money-sql.ts';
import { DEVICE_KEY, INSTALL_SOURCE, NEW_INSTALL } from './rollups.ts';
import { bucketOf, HOURS_OUTSIDE_DAYS, MONTHS_OF_DAYS, type RangeShape, ROLLUP_HOURS, rawEdges, WHOLE_DAYS_MASK } from './time-split.ts';

/**
 * The analytics queries behind docs/api.md §4, written once for chDB and a ClickHouse server.
 * Parameters: `{app:String}`, `{from:Int64}`, `{to:Int64}` (epoch ms, `to` exclusive), the
 * whole-hour and whole-day spans `{hfrom} {hto} {dfrom} {dto}` (time-split.ts) and the ones
 * named per query. Whole days and hours come from the rollups (rollups.ts), the edges from
 * the raw tables. SQL text varies only by choosing among constants here, never by input. The
 * definitions (what counts as an install, a click, revenue of a source) are in the package
 * README, "Analytics". Days of unclamped times use Date32 (1900…2299), never Date (which wraps).
 */

const FROM = `fromUnixTimestamp64Milli({from:Int64}, 'UTC')`;
const TO = `fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;

/** `col` inside [from, to). */
export function inRange(col: string): string {
  return `${col} >= ${FROM} AND ${col} < ${TO}`;
}

/** The UTC days [from, to) overlaps, for day-grained data (costs); none when the range is empty. */
export const DAYS_IN_RANGE = `{from:Int64} < {to:Int64} AND date >= toDate32(${FROM}) AND date <= toDate32(fromUnixTimestamp64Milli({to:Int64} - 1, 'UTC'))`;

export { INSTALL_SOURCE, NEW_INSTALL };

/** Media source of an event, organic spelled one way. */
export const EVENT_SOURCE = `if(media_source = '', 'organic', media_source)`;

const APP = 'app_id = {app:String}';

const ROLLUP_BUCKET = bucketOf(`toInt64(toUnixTimestamp(hour)) * 1000`);
const RAW_BUCKET = (col: string) => bucketOf(`toUnixTimestamp64Milli(${col})`);

/**
 * The overview of a range over `months` calendar months (time-split.ts monthsSpanned: 1, 2,
 * or null for more), of the `shape` the range has: a range without partial hours reads no raw
 * table for its edges, and its subqueries there are constant zeros (each one left out saves
 * its planning, a few milliseconds even over no rows). With `missingRates`, the row also holds
 * `missing_rates` (money-sql.ts), so a caller that needs both asks the engine once, not twice.
 */
export function overviewSql(months: 1 | 2 | null, shape: RangeShape, missingRates = false): string {
  const edges = (sql: string, none: string) => (shape.rawEdges ? sql : none);
  return `
WITH
  r AS (
    SELECT sum(events) AS e, sum(clicks) AS c, sum(impressions) AS i,
      sum(attributed) AS att, sum(organic) AS org, sum(rejected) AS rej, sum(reinstalls) AS re, sum(reattributions) AS ra
    FROM traffic_hourly WHERE ${APP} AND ${ROLLUP_HOURS}
  ),
  ev AS (${edges(`SELECT count() AS e FROM events WHERE ${APP} AND ${rawEdges('ts')}`, 'SELECT toUInt64(0) AS e')}),
  money AS (${missingRates ? convertedRevenueAndMissingSql(shape.rawEdges) : convertedRevenueSql(shape.rawEdges)}),
  rg AS (SELECT uniqExact(event_id) AS n FROM reengagements WHERE ${APP} AND ${inRange('at')}),
  inst AS (${edges(
    `
    SELECT countIf(status = 'attributed') AS att, countIf(status = 'organic') AS org,
      countIf(status = 'rejected') AS rej, countIf(status = 'reinstall') AS re,
      countIf(status = 'attributed' AND is_reattribution) AS ra
    FROM installs WHERE ${APP} AND ${rawEdges('installed_at')}
  `,
    'SELECT toUInt64(0) AS att, toUInt64(0) AS org, toUInt64(0) AS rej, toUInt64(0) AS re, toUInt64(0) AS ra',
  )}),
  ck AS (${edges(`SELECT count() AS c FROM clicks WHERE ${APP} AND ${rawEdges('ts')} AND fraud_reason = ''`, 'SELECT toUInt64(0) AS c')}),
  im AS (${edges(`SELECT count() AS i FROM impressions WHERE ${APP} AND ${rawEdges('ts')} AND fraud_reason = ''`, 'SELECT toUInt64(0) AS i')}),
  au AS (${activeUsersSql(months, shape)})
SELECT
  r.e + ev.e AS total_events,
  au.n AS active_users,
  money.revenue AS total_revenue,
  r.att + inst.att + r.org + inst.org AS installs,
  r.org + inst.org AS organic_installs,
  r.att + inst.att AS non_organic_installs,
  r.rej + inst.rej AS rejected_installs,
  r.re + inst.re AS reinstalls,
  r.c + ck.c AS clicks,
  r.i + im.i AS impressions,
  rg.n AS reengagements,
  r.ra + inst.ra AS reattributions${missingRates ? ', money.missing_rates AS missing_rates' : ''}
FROM r, ev, inst, ck, im, au, money, rg`;
}

/** A metric as per-bucket values from non-overlapping parts, added up per bucket. */
function summed(rollupValue: string, table: string, time: string, rawValue: string, where = ''): string[] {
  return [
    `SELECT ${ROLLUP_BUCKET} AS bucket_ms, ${rollupValue} AS v FROM traffic_hourly WHERE ${APP} AND ${ROLLUP_HOURS} GROUP BY bucket_ms`,
    `SELECT ${RAW_BUCKET(time)} AS bucket_ms, ${rawValue} AS v FROM ${table} WHERE ${APP} AND ${rawEdges(time)} ${where} GROUP BY bucket_ms`,
  ];
}

/**
 * Active devices per bucket. A whole hour is a count() of its device_hours rows read with
 * FINAL (one per device); a whole day, a count() of the device_months rows (FINAL: one per
 * device) with that day's bit; a partial bucket at an edge counts the distinct keys of its
 * hours and raw rows. No bucket is in two parts, so they add up.
 */
function activeUsers(interval: TimeseriesInterval): string[] {
  if (interval === 'hour') {
    return [
      `SELECT ${ROLLUP_BUCKET} AS bucket_ms, count() AS v FROM device_hours FINAL WHERE ${APP} AND ${ROLLUP_HOURS} GROUP BY bucket_ms`,
      `SELECT ${RAW_BUCKET('ts')} AS bucket_ms, uniqExact(${DEVICE_KEY}) AS v FROM events WHERE ${APP} AND ${rawEdges('ts')} GROUP BY bucket_ms`,
    ];
  }
  return [
    `SELECT toInt64(toUnixTimestamp(toDateTime(month + bit, 'UTC'))) * 1000 AS bucket_ms, count() AS v FROM (
      SELECT month, arrayJoin(bitPositionsToArray(bitAnd(days, ${WHOLE_DAYS_MASK}))) AS bit
      FROM device_months FINAL WHERE ${APP} AND ${MONTHS_OF_DAYS}
    ) GROUP BY bucket_ms`,
    `SELECT bucket_ms, uniqExact(k) AS v FROM (
      SELECT ${ROLLUP_BUCKET} AS bucket_ms, device_key AS k FROM device_hours WHERE ${APP} AND ${HOURS_OUTSIDE_DAYS}
      UNION ALL
      SELECT ${RAW_BUCKET('ts')} AS bucket_ms, ${DEVICE_KEY} AS k FROM events WHERE ${APP} AND ${rawEdges('ts')}
    ) GROUP BY bucket_ms`,
  ];
}

function metricParts(metric: TimeseriesMetric, interval: TimeseriesInterval): string[] {
  switch (metric) {
    case 'installs':
      return summed('sum(attributed + organic)', 'installs', 'installed_at', 'count()', `AND ${NEW_INSTALL}`);
    case 'events':
      return summed('sum(events)', 'events', 'ts', 'count()');
    case 'revenue':
      throw new RangeError('revenue is converted per currency: timeseriesSql answers it');
    case 'active_users':
      return activeUsers(interval);
    default:
      throw new RangeError(`unknown timeseries metric ${String(metric)}`);
  }
}

/** Non-empty buckets only, as `{bucket_ms, value}`, bucket size `{bucket:Int64}` ms; the caller fills the gaps. */
export function timeseriesSql(metric: TimeseriesMetric, interval: TimeseriesInterval): string {
  if (interval !== 'day' && interval !== 'hour') throw new RangeError(`unknown interval ${String(interval)}`);
  if (metric === 'revenue') return REVENUE_SERIES_SQL;
  return `
SELECT bucket_ms, sum(v) AS value
FROM (
  ${metricParts(metric, interval).join('\n  UNION ALL\n  ')}
)
GROUP BY bucket_ms`;
}

/** Revenue per bucket in the reporting currency `{ccy:String}`, each day's amounts converted with that day's rate (money-sql.ts). */
const REVENUE_SERIES_SQL = `
SELECT bucket_ms, round(sum(${converted('u.r')}), 6) AS value
FROM ${withRates(revenueByDaySql([`${ROLLUP_BUCKET} AS bucket_ms`], [`${RAW_BUCKET('ts')} AS bucket_ms`]))}
GROUP BY bucket_ms`;

/**
 * Install-day cohorts and, per day N = 0…30 after, how many of their devices sent an `open`
 * or `event` that UTC day. Rows: `{cohort, source, n, devices}` with n = -1 for the cohort's
 * size. Activity is read up to 30 days past the last cohort day, whatever `to` is.
 *
 * Cohort sizes count the new installs in [from, to) as the installs timeseries does: whole
 * hours from traffic_hourly (its media_source is INSTALL_SOURCE already), the edges from the
 * raw installs; a million installs are then a few thousand rollup rows.
 *
 * Activity needs no join: a device_months row (FINAL: one per device and month) carries the
 * device's new installs of the 31 days before the month's end (rollups.ts), so each install in
 * the range turns the row's `engaged` bits into days N (`DAYS_AFTER_INSTALL`). Installs are
 * first counted per (install day, source, mask of days N), then each mask is spread into its
 * days: far fewer rows to group than one per install and day. Days are whole numbers (epoch
 * day; install day · 32 + N as one key), not dates: that arithmetic runs once per install.
 * Without sources only the installs' times are read (`installs.1`), not their source strings.
 */
export function retentionSql(bySource: boolean): string {
  const installs = bySource
    ? `SELECT install.2 AS source, intDiv(install.1, ${DAY_MS}) AS day, ${MONTH_DAY} - day AS offset, engaged FROM (
      SELECT month, engaged, arrayJoin(installs) AS install FROM device_months FINAL WHERE ${ENGAGED_INSTALL_MONTHS}
    ) WHERE install.1 >= {from:Int64} AND install.1 < {to:Int64}`
    : `SELECT '' AS source, intDiv(at, ${DAY_MS}) AS day, ${MONTH_DAY} - day AS offset, engaged FROM (
      SELECT month, engaged, arrayJoin(installs.1) AS at FROM device_months FINAL WHERE ${ENGAGED_INSTALL_MONTHS}
    ) WHERE at >= {from:Int64} AND at < {to:Int64}`;
  return `
SELECT cohort, source, toInt32(-1) AS n, sum(c) AS devices FROM (
  SELECT toDate32(hour) AS cohort, ${bySource ? 'media_source' : `''`} AS source, sum(attributed + organic) AS c
  FROM traffic_hourly WHERE ${APP} AND ${ROLLUP_HOURS} AND attributed + organic > 0 GROUP BY cohort, source
  UNION ALL
  SELECT toDate32(installed_at) AS cohort, ${bySource ? INSTALL_SOURCE : `''`} AS source, count() AS c
  FROM installs WHERE ${APP} AND ${rawEdges('installed_at')} AND ${NEW_INSTALL} GROUP BY cohort, source
)
GROUP BY cohort, source
UNION ALL
SELECT toDate32(fromUnixTimestamp64Milli(intDiv(key, 32) * ${DAY_MS}, 'UTC')) AS cohort, source, toInt32(key % 32) AS n, sum(c) AS devices
FROM (
  SELECT day * 32 + arrayJoin(bitPositionsToArray(days_n)) AS key, source, c
  FROM (
    SELECT day, source, ${DAYS_AFTER_INSTALL} AS days_n, count() AS c
    FROM (${installs})
    WHERE offset >= -30 AND offset <= 30 AND days_n != 0
    GROUP BY day, source, days_n
  )
)
GROUP BY key, source`;
}

const DAY_MS = 86_400_000;

/** A device_months row's first day as an epoch day (a Date is its day number). */
const MONTH_DAY = 'toInt64(toInt32(month))';

/** The device_months rows that may hold a cohort's activity: engaged, with installs, in the months from `from`'s to 30 days past the last day. */
const ENGAGED_INSTALL_MONTHS = `${APP} AND engaged != 0 AND notEmpty(installs)
        AND month >= toStartOfMonth(toDate32(${FROM}))
        AND month < toDate32(fromUnixTimestamp64Milli({to:Int64} - 1, 'UTC')) + 31`;

/**
 * A month row's `engaged` mask (bit b: day b + 1 of the month) as days N = 0…30 after an
 * install, bit N set when the device was engaged on install day + N. `offset` is the month's
 * first day minus the install day, −30…30 (other rows hold no day N): bit b moves to b + offset,
 * by a left shift of 31 and a right shift of 31 − offset, so both directions are one UInt64
 * expression (an `if` of a left and a right shift would be a Variant). Days before the install
 * fall off the right, days past N = 30 are masked off.
 */
const DAYS_AFTER_INSTALL = `bitAnd(bitShiftRight(bitShiftLeft(toUInt64(engaged), 31), toUInt8(31 - offset)), ${2 ** 31 - 1})`;

/**
 * One page of the installs export, keyset-paged on (installed_at, install_id) after
 * `{after_ms:Int64}`/`{after_id:String}` and before `{before_ms:Int64}` (the page's time
 * window, so a page reads only its days, not the rest of the range), `{limit:UInt32}` rows.
 * Aliases differ from column names on purpose: in ClickHouse a SELECT alias is visible in WHERE.
 */
export const INSTALLS_PAGE_SQL = `
SELECT
  install_id, device_id, advertising_id, toUnixTimestamp64Milli(installed_at) AS installed_ms,
  status, match_type, ${INSTALL_SOURCE} AS source, campaign, ad_set, ad, site_id, link_id, click_id,
  network_click_id, toUnixTimestamp64Milli(touch_at) AS touch_ms, ctit_seconds, fraud_reason, is_reattribution
FROM installs
WHERE app_id = {app:String} AND ${inRange('installed_at')}
  AND installed_at >= fromUnixTimestamp64Milli({after_ms:Int64}, 'UTC')
  AND installed_at < fromUnixTimestamp64Milli({before_ms:Int64}, 'UTC')
  AND (installed_at, install_id) > (fromUnixTimestamp64Milli({after_ms:Int64}, 'UTC'), {after_id:String})
ORDER BY installed_at, install_id
LIMIT {limit:UInt32}`;

/** Raw rows of one kind of the fraud report in its partial hours, as fraud_hourly counts them (rollups.ts). */
const fraudEdge = (kind: string, table: string, time: string, flagged: string) => `
SELECT '${kind}' AS kind, media_source AS source, fraud_reason AS reason, count() AS n
FROM ${table} WHERE ${APP} AND ${rawEdges(time)} AND ${flagged}
GROUP BY source, reason`;

/**
 * Rejected installs, clicks and impressions by kind, media source and reason: whole hours from
 * fraud_hourly, the partial hours at the ends (if the range has any, `shape`) from the raw
 * tables. A (kind, source, reason) may come from both parts; the caller adds them up.
 */
export function fraudSql(shape: RangeShape): string {
  const parts = [
    `
SELECT kind, media_source AS source, reason, sum(flagged) AS n
FROM fraud_hourly WHERE ${APP} AND ${ROLLUP_HOURS}
GROUP BY kind, source, reason`,
  ];
  if (shape.rawEdges) {
    parts.push(
      fraudEdge('install', 'installs', 'installed_at', `status = 'rejected'`),
      fraudEdge('click', 'clicks', 'ts', `fraud_reason != ''`),
      fraudEdge('impression', 'impressions', 'ts', `fraud_reason != ''`),
    );
  }
  return parts.join('\nUNION ALL');
}

/**
 * Per tracking link over [from, to), exact from the raw tables: valid clicks and impressions
 * (no fraud reason, as everywhere) and the installs attributed to the link (status
 * `attributed`; a re-attribution counts as the link's install too, since it won it).
 */
export const LINK_STATS_SQL = `
SELECT link_id, sum(c) AS clicks, sum(im) AS impressions, sum(i) AS installs FROM (
  SELECT link_id, count() AS c, 0 AS im, 0 AS i FROM clicks
    WHERE ${APP} AND ${inRange('ts')} AND fraud_reason = '' AND link_id != '' GROUP BY link_id
  UNION ALL
  SELECT link_id, 0 AS c, count() AS im, 0 AS i FROM impressions
    WHERE ${APP} AND ${inRange('ts')} AND fraud_reason = '' AND link_id != '' GROUP BY link_id
  UNION ALL
  SELECT link_id, 0 AS c, 0 AS im, count() AS i FROM installs
    WHERE ${APP} AND ${inRange('installed_at')} AND status = 'attributed' AND link_id != '' GROUP BY link_id
)
GROUP BY link_id ORDER BY link_id`;

/**
 * What was imported as spend, newest day first: the current value of each (date, source,
 * campaign) (FINAL), within `{dfrom:String}`…`{dto:String}` (days, inclusive) and for one
 * `{source:String}` unless it is ''.
 */
export const COSTS_LIST_SQL = `
SELECT toString(date) AS day, media_source, campaign, cost, currency FROM costs FINAL
WHERE ${APP} AND date >= toDate({dfrom:String}) AND date <= toDate({dto:String})
  AND ({source:String} = '' OR media_source = {source:String})
ORDER BY date DESC, media_source, campaign
LIMIT {limit:UInt32}`;

/** One imported (date, source, campaign) gone: a lightweight delete, so reads see it at once. */
export const COSTS_DELETE_SQL = `
DELETE FROM costs WHERE ${APP} AND date = toDate({day:String}) AND media_source = {source:String} AND campaign = {campaign:String}`;
