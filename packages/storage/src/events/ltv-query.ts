import { DAYS_IN_RANGE, INSTALL_SOURCE, inRange, NEW_INSTALL } from './analytics-queries.ts';
import type { LtvDimension } from './ltv-types.ts';

/**
 * The cohort LTV report's SQL (docs/api.md §4): one statement, three kinds of rows
 * `{kind, day, source, campaign, n, value}`, shaped by ltv-shapes.ts:
 *
 * - `installs`: new installs in [from, to) per install day and group (n = -1), the cohort sizes;
 * - `revenue`: revenue per cohort, group and day N = UTC days from the install day to the
 *   event's day (0…`{last:Int32}`). Each revenue event belongs to its device's latest new install
 *   at or before it (an ASOF join), so an install's revenue starts at the install and a device
 *   re-attributed later earns for its new install from then on, never for both;
 * - `cost`: spend per day and group of the days the range overlaps (whole days, as in attribution).
 *
 * Parameters: `{app}`, `{from}`, `{to}` and `{until:Int64}`, the end of day `{last}` of the last
 * cohort day: revenue is read past `to`, up to there, like retention's activity. Installs are
 * read up to `until` too, so a later install of the same device can claim its own revenue; only
 * the cohorts in [from, to) are reported. SQL text varies only by the grouping, chosen among
 * constants. Money is summed as stored (no currency conversion yet): REVENUE_EVENTS and
 * COST_DAYS are where a conversion to the app's currency would join its daily rates.
 */

const APP = 'app_id = {app:String}';
const UNTIL = `fromUnixTimestamp64Milli({until:Int64}, 'UTC')`;
const FROM = `fromUnixTimestamp64Milli({from:Int64}, 'UTC')`;

/** Revenue events that can fall in a cohort's days 0…last, with what a conversion would need (day, currency). */
const REVENUE_EVENTS = `
    SELECT device_id, toUnixTimestamp64Milli(ts) AS at_ms, revenue AS amount, currency
    FROM events
    WHERE ${APP} AND revenue != 0 AND ts >= ${FROM} AND ts < ${UNTIL}`;

/** Spend per (day, source, campaign) of the days the range overlaps, with its currency. */
const COST_DAYS = `
    SELECT date, media_source, campaign, cost AS amount, currency
    FROM costs FINAL
    WHERE ${APP} AND ${DAYS_IN_RANGE}`;

/** The install rows' group keys; campaign '' when not grouped by it. */
function installCampaign(byCampaign: boolean): string {
  return byCampaign ? 'campaign' : `''`;
}

export function ltvSql(groupBy: readonly LtvDimension[]): string {
  const byCampaign = groupBy.includes('campaign');
  return `
SELECT 'installs' AS kind, toString(toDate32(installed_at)) AS day, ${INSTALL_SOURCE} AS source, ${installCampaign(byCampaign)} AS camp,
  toInt32(-1) AS n, toFloat64(count()) AS value
FROM installs
WHERE ${APP} AND ${inRange('installed_at')} AND ${NEW_INSTALL}
GROUP BY day, source, camp
UNION ALL
SELECT 'revenue' AS kind, toString(cohort) AS day, source, camp, n, sum(amount) AS value
FROM (
  SELECT toDate32(fromUnixTimestamp64Milli(i.at_ms, 'UTC')) AS cohort, i.source AS source, i.camp AS camp,
    toInt32(dateDiff('day', cohort, toDate32(fromUnixTimestamp64Milli(e.at_ms, 'UTC')))) AS n, e.amount AS amount,
    i.at_ms AS installed_ms
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
GROUP BY day, source, camp, n
UNION ALL
SELECT 'cost' AS kind, toString(date) AS day, media_source AS source, ${byCampaign ? 'campaign' : `''`} AS camp,
  toInt32(-1) AS n, sum(amount) AS value
FROM (${COST_DAYS}
)
GROUP BY day, source, camp`;
}
