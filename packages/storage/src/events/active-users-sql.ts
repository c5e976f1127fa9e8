import { DEVICE_KEY } from './rollups.ts';
import {
  FIRST_MONTH,
  HOURS_OUTSIDE_DAYS,
  LAST_MONTH,
  MONTHS_OF_DAYS,
  type RangeShape,
  rangeDaysMask,
  rawEdges,
  WHOLE_DAYS_MASK,
  wholeDaysMask,
  wholeHoursIn,
} from './time-split.ts';

/**
 * Active users of a range for the overview (analytics-queries.ts), exactly: distinct devices
 * with an event in [from, to). Parameters as there (`{app} {from} {to} {hfrom} {hto} {dfrom} {dto}`).
 */

const APP = 'app_id = {app:String}';

/** Devices active in the whole hours outside the whole days (the partial days' hours). */
const PARTIAL_DAY_HOUR_KEYS = `SELECT device_key AS k FROM device_hours WHERE ${APP} AND ${HOURS_OUTSIDE_DAYS}`;

/** Devices with an event in the partial hours at the range's ends (raw events: a few thousand keys at most). */
const RAW_EDGE_KEYS = `SELECT ${DEVICE_KEY} AS k FROM events WHERE ${APP} AND ${rawEdges('ts')}`;

/**
 * The device keys active in [from, to): whole days from device_months (rows with a bit in the
 * range), the other whole hours from device_hours, the edges from raw events (each part only
 * when the range has it). A device shows up in several rows, so count them with uniqExact: a
 * hash set of every active device, the way for ranges over three calendar months or more.
 */
function activeDeviceKeys(shape: RangeShape): string {
  return [
    `SELECT device_key AS k FROM device_months WHERE ${APP} AND ${MONTHS_OF_DAYS} AND bitAnd(days, ${WHOLE_DAYS_MASK}) != 0`,
    ...(shape.partialDays ? [PARTIAL_DAY_HOUR_KEYS] : []),
    ...(shape.rawEdges ? [RAW_EDGE_KEYS] : []),
  ].join('\n      UNION ALL\n      ');
}

/** The row's device has an event in the partial hours at the range's ends. */
const IN_RAW_EDGES = `device_key IN (${RAW_EDGE_KEYS})`;

/**
 * The row's device is one active in a partial day of the range: in a whole hour of it or in a
 * partial hour at an end. One set, built once per query.
 */
function inPartialDays(shape: RangeShape): string {
  return `device_key IN (${[PARTIAL_DAY_HOUR_KEYS, ...(shape.rawEdges ? [RAW_EDGE_KEYS] : [])].join(' UNION ALL ')})`;
}

/**
 * The device of a row was active in the range during the month starting at `month` (a
 * constant, so the masks are computed once per query), judged from that month's day mask
 * `days`: a whole day of the range, else a day the range overlaps in part and `inPartialDay`,
 * the test of the partial days. A range of whole days only needs the first test.
 */
function activeIn(days: string, month: string, inPartialDay: string, shape: RangeShape): string {
  const wholeDay = `bitAnd(${days}, ${wholeDaysMask(month)}) != 0`;
  if (!shape.partialDays) return `(${wholeDay})`;
  return `(${wholeDay} OR (bitAnd(${days}, ${rangeDaysMask(month)}) != 0 AND ${inPartialDay}))`;
}

/**
 * Active users of a range within one calendar month or two adjacent ones (time-split.ts
 * monthsSpanned), exactly and without a hash set of every device: one device_months row per
 * device and month (FINAL), counted in the first month of the range it was active in. A row
 * of the second month is skipped when its `prev_days` (the device's days of the first month)
 * say the first month counted it, by the same test.
 *
 * The partial days' test, by what measured cheaper (docs/benchmarks.md, eighth round): in one
 * month, the row's own `hours` (a whole hour of a partial day) or the raw edges' small set; in
 * two months, where each second-month row is tested twice, one set of the partial days'
 * devices (inPartialDays), which also needs no `prev_hours`.
 *
 * Why the set may hold a device for either end: a device counted in the first month for an
 * event at the range's far end (it had an event on some day of the first month in the range,
 * outside the range's hours) is one active in the range all the same, and the second month's
 * row, seeing the same test true, skips it. So each device active in the range counts once,
 * in whichever month the test first holds.
 */
function monthRowsActiveUsers(twoMonths: boolean, shape: RangeShape): string {
  const appMonths = `${APP} AND month >= ${FIRST_MONTH} AND month <= ${LAST_MONTH}`;
  if (!twoMonths) {
    const inPartialDay = `(${wholeHoursIn('hours', FIRST_MONTH)}${shape.rawEdges ? ` OR ${IN_RAW_EDGES}` : ''})`;
    return `SELECT count() AS n FROM device_months FINAL WHERE ${appMonths} AND ${activeIn('days', FIRST_MONTH, inPartialDay, shape)}`;
  }
  const inPartialDay = inPartialDays(shape);
  return `SELECT count() AS n FROM device_months FINAL
    WHERE ${appMonths}
      AND ((month = ${FIRST_MONTH} AND ${activeIn('days', FIRST_MONTH, inPartialDay, shape)})
        OR (month = ${LAST_MONTH} AND ${activeIn('days', LAST_MONTH, inPartialDay, shape)}
          AND NOT ${activeIn('prev_days', FIRST_MONTH, inPartialDay, shape)}))`;
}

/**
 * The active-users subquery (one row, `n`) for a range over `months` calendar months (1, 2,
 * or null for more: a hash set), with the parts its `shape` needs.
 */
export function activeUsersSql(months: 1 | 2 | null, shape: RangeShape): string {
  return months === null ? `SELECT uniqExact(k) AS n FROM (${activeDeviceKeys(shape)})` : monthRowsActiveUsers(months === 2, shape);
}
