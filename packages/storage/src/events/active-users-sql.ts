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

/**
 * The device keys active in [from, to): whole days from device_months (rows with a bit in the
 * range), the other whole hours from device_hours, the edges from raw events (each part only
 * when the range has it). A device shows up in several rows, so count them with uniqExact: a
 * hash set of every active device, the way for ranges over three calendar months or more.
 */
function activeDeviceKeys(shape: RangeShape): string {
  return [
    `SELECT device_key AS k FROM device_months WHERE ${APP} AND ${MONTHS_OF_DAYS} AND bitAnd(days, ${WHOLE_DAYS_MASK}) != 0`,
    ...(shape.partialDays ? [`SELECT device_key AS k FROM device_hours WHERE ${APP} AND ${HOURS_OUTSIDE_DAYS}`] : []),
    ...(shape.rawEdges ? [`SELECT ${DEVICE_KEY} AS k FROM events WHERE ${APP} AND ${rawEdges('ts')}`] : []),
  ].join('\n      UNION ALL\n      ');
}

/** The row's device is one with an event in the partial hours at the range's ends (raw events: a few thousand keys at most). */
const IN_RAW_EDGES = `device_key IN (SELECT ${DEVICE_KEY} FROM events WHERE ${APP} AND ${rawEdges('ts')})`;

/**
 * The device of a row was active in the range during the month starting at `month` (a
 * constant, so the masks and hour bounds are computed once per query), judged from that
 * month's day mask `days` and hours `hours`: a whole day of the range, else a whole hour of
 * a partial day, else an event in a partial hour (the raw edges; a device there has that
 * day's bit, so the lookup is made only for rows with a partial day and nothing else). A
 * range of whole days only needs the first test: its days are all whole.
 */
function activeIn(days: string, hours: string, month: string, shape: RangeShape): string {
  const wholeDay = `bitAnd(${days}, ${wholeDaysMask(month)}) != 0`;
  if (!shape.partialDays) return `(${wholeDay})`;
  const inPartialHours = shape.rawEdges ? ` OR ${IN_RAW_EDGES}` : '';
  return `(${wholeDay} OR (bitAnd(${days}, ${rangeDaysMask(month)}) != 0 AND (${wholeHoursIn(hours, month)}${inPartialHours})))`;
}

/**
 * Active users of a range within one calendar month or two adjacent ones (time-split.ts
 * monthsSpanned), exactly and without a hash set of every device: one device_months row per
 * device and month (FINAL), counted in the first month of the range it was active in. A row
 * of the second month is skipped when its `prev_days`/`prev_hours` (the device's days and
 * hours of the first month) say the first month counted it, by the same test.
 *
 * Why the raw-edge test may look at either end: a device counted in the first month for an
 * event in the range's last partial hour (it had an event on some day of the first month in
 * the range, outside the range's hours) is one active in the range all the same, and the
 * second month's row, seeing the same test true, skips it. So each device active in the
 * range counts once, in whichever month the test first holds.
 */
function monthRowsActiveUsers(twoMonths: boolean, shape: RangeShape): string {
  const first = `(month = ${FIRST_MONTH} AND ${activeIn('days', 'hours', FIRST_MONTH, shape)})`;
  const second = `(month = ${LAST_MONTH} AND month != ${FIRST_MONTH} AND ${activeIn('days', 'hours', LAST_MONTH, shape)}
        AND NOT ${activeIn('prev_days', 'prev_hours', FIRST_MONTH, shape)})`;
  return `SELECT count() AS n FROM device_months FINAL
    WHERE ${APP} AND month >= ${FIRST_MONTH} AND month <= ${LAST_MONTH}
      AND (${first}${twoMonths ? `\n        OR ${second}` : ''})`;
}

/**
 * The active-users subquery (one row, `n`) for a range over `months` calendar months (1, 2,
 * or null for more: a hash set), with the parts its `shape` needs.
 */
export function activeUsersSql(months: 1 | 2 | null, shape: RangeShape): string {
  return months === null ? `SELECT uniqExact(k) AS n FROM (${activeDeviceKeys(shape)})` : monthRowsActiveUsers(months === 2, shape);
}
