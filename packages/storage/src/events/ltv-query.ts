import { DAYS_IN_RANGE, INSTALL_SOURCE, inRange, NEW_INSTALL } from './analytics-queries.ts';
import type { LtvDimension } from './ltv-types.ts';
import { converted, LACKS_RATE, withRates } from './money-sql.ts';
import { EVENT_CURRENCY } from './rollups.ts';

/**
 * The cohort LTV report's SQL (docs/api.md §4): one statement, three kinds of rows
 * `{kind, day, source, camp, n, value, cur, missing}`, shaped by ltv-shapes.ts:
 *
 * - `installs`: new installs in [from, to) per install day and group (n = -1), the cohort sizes;
 * - `revenue`: revenue per cohort, group and day N = UTC days from the install day to the
 *   event's day (0…`{last:Int32}`). Each revenue event belongs to its device's latest new install
 *   at or before it (an ASOF join), so an install's revenue starts at the install and a device
 *   re-attributed later earns for its new install from then on, never for both;
 * - `cost`: spend per day and group of the days the range overlaps (whole days, as in attribution).
 *
 * Parameters: `{app}`, `{from}`, `{to}`, `{ccy:String}` (the reporting currency) and
 * `{until:Int64}`, the end of day `{last}` of the last cohort day: revenue is read past `to`, up
 * to there, like retention's activity. Installs are read up to `until` too, so a later install of
 * the same device can claim its own revenue; only the cohorts in [from, to) are reported. SQL
 * text varies only by the grouping, chosen among constants.
 *
 * Money is converted as on every other route (money-sql.ts, docs/api.md "Currencies"): revenue
 * and cost rows are grouped per currency with their UTC day (a revenue row's day is cohort + n,
 * the event's day) and joined to that day's rate. Each such row carries `cur` and `missing` (1
 * when it has no rate and its converted `value` is therefore 0), so ltv-shapes.ts can name the
 * amounts left out without reading the money a second time. Install rows carry `''` and 0.
 */

const APP = 'app_id = {app:String}';
const UNTIL = `fromUnixTimestamp64Milli({until:Int64}, 'UTC')`;
const FROM = `fromUnixTimestamp64Milli({from:Int64}, 'UTC')`;

/** fx_rates days any amount of the report can fall on: the first cohort day up to the last day read. */
const RATE_DAYS = `date >= toDate32(${FROM}) AND date < toDate32(${UNTIL})`;

/** Revenue events that can fall in a cohort's days 0…last, with their currency ('' read as USD, as everywhere). */
const REVENUE_EVENTS = `
    SELECT device_id, toUnixTimestamp64Milli(ts) AS at_ms, revenue AS amount, ${EVENT_CURRENCY} AS cur
    FROM events
    WHERE ${APP} AND revenue != 0 AND ts >= ${FROM} AND ts < ${UNTIL}`;

/** The install and cost rows' campaign key: the campaign, or '' when not grouped by it. */
function installCampaign(byCampaign: boolean): string {
  return byCampaign ? 'campaign' : `''`;
}

/**
 * Revenue per cohort, group, day N and currency, `day` being the event's (cohort + n). Each event
 * belongs to its device's latest new install at or before it (ASOF join).
 */
function cohortRevenue(byCampaign: boolean): string {
  return `
  SELECT cohort, source, camp, n, cohort + n AS day, cur, sum(amount) AS amount
  FROM (
    SELECT toDate32(fromUnixTimestamp64Milli(i.at_ms, 'UTC')) AS cohort, i.source AS source, i.camp AS camp,
      toInt32(dateDiff('day', cohort, toDate32(fromUnixTimestamp64Milli(e.at_ms, 'UTC')))) AS n, e.amount AS amount,
      e.cur AS cur, i.at_ms AS installed_ms
    FROM (${REVENUE_EVENTS}
    ) AS e
    ASOF JOIN (
      SELECT device_id, toUnixTimestamp64Milli(installed_at) AS at_ms, ${INSTALL_SOURCE} AS source, ${installCampaign(byCampaign)} AS camp
      FROM installs
      WHERE ${APP} AND ${NEW_INSTALL} AND installed_at >= ${FROM} AND installed_at < ${UNTIL}
    ) AS i
    ON e.device_id = i.device_id AND e.at_ms >= i.at_ms
    SETTINGS join_algorithm = 'full_sorting_merge'
  )
  WHERE installed_ms < {to:Int64} AND n <= {last:Int32}
  GROUP BY cohort, source, camp, n, cur`;
}

/** Spend per day, group and currency of the days the range overlaps. */
function costDays(byCampaign: boolean): string {
  return `
  SELECT date AS day, media_source AS source, ${installCampaign(byCampaign)} AS camp, toString(currency) AS cur, sum(cost) AS amount
  FROM costs FINAL
  WHERE ${APP} AND ${DAYS_IN_RANGE}
  GROUP BY day, source, camp, cur`;
}

export function ltvSql(groupBy: readonly LtvDimension[]): string {
  const byCampaign = groupBy.includes('campaign');
  return `
SELECT 'installs' AS kind, toString(toDate32(installed_at)) AS day, ${INSTALL_SOURCE} AS source, ${installCampaign(byCampaign)} AS camp,
  toInt32(-1) AS n, toFloat64(count()) AS value, '' AS cur, toUInt8(0) AS missing
FROM installs
WHERE ${APP} AND ${inRange('installed_at')} AND ${NEW_INSTALL}
GROUP BY day, source, camp
UNION ALL
SELECT 'revenue' AS kind, toString(u.cohort) AS day, u.source AS source, u.camp AS camp, u.n AS n,
  ${converted('u.amount')} AS value, u.cur AS cur, ${LACKS_RATE} AS missing
FROM ${withRates(cohortRevenue(byCampaign), RATE_DAYS)}
UNION ALL
SELECT 'cost' AS kind, toString(u.day) AS day, u.source AS source, u.camp AS camp,
  toInt32(-1) AS n, ${converted('u.amount')} AS value, u.cur AS cur, ${LACKS_RATE} AS missing
FROM ${withRates(costDays(byCampaign), RATE_DAYS)}`;
}
