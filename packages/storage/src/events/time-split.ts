import { ROLLUP_WINDOW } from './rollups.ts';

/**
 * How a range [from, to) is answered. Pure. Three nested spans:
 *   whole UTC days [dfrom, dto)  ⊆  whole hours [hfrom, hto)  ⊆  [from, to)
 * Day rollups answer the days, hourly rollups the hours, raw tables the rest (at most the
 * partial hour at each end). All spans stay inside ROLLUP_WINDOW. SQL fragments below use
 * the Int64 epoch-ms parameters `{from} {to} {hfrom} {hto} {dfrom} {dto}`.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

export type SplitParams = {
  from: number;
  to: number;
  hfrom: number;
  hto: number;
  dfrom: number;
  dto: number;
};

/** [ceil(from), floor(to)) in `unit`s, inside the window; null when empty. */
function whole(from: number, to: number, unit: number): [number, number] | null {
  const start = Math.max(Math.ceil(from / unit) * unit, ROLLUP_WINDOW.from);
  const end = Math.min(Math.floor(to / unit) * unit, ROLLUP_WINDOW.to);
  return start < end ? [start, end] : null;
}

export function splitRange(from: number, to: number): SplitParams {
  const hours = whole(from, to, HOUR);
  // No whole hour: empty spans placed at `from`, so the raw edges cover [from, to).
  if (!hours) return { from, to, hfrom: from, hto: from, dfrom: from, dto: from };
  const [hfrom, hto] = hours;
  const days = whole(hfrom, hto, DAY);
  // No whole day: an empty day span at `hfrom`, so the hours cover [hfrom, hto).
  const [dfrom, dto] = days ?? [hfrom, hfrom];
  return { from, to, hfrom, hto, dfrom, dto };
}

const ms = (param: string) => `fromUnixTimestamp64Milli({${param}:Int64}, 'UTC')`;
const hourBound = (param: string) => `toDateTime(intDiv({${param}:Int64}, 1000), 'UTC')`;
const dayBound = (param: string) => `toDate(${ms(param)})`;
/** The day after the range's last millisecond: the end of the days it overlaps. */
const dayAfterLast = `(toDate(fromUnixTimestamp64Milli({to:Int64} - 1, 'UTC')) + 1)`;

/** device_months rows (`month` is the Date of its 1st) of the months the whole days touch. */
export const MONTHS_OF_DAYS = `month >= toStartOfMonth(${dayBound('dfrom')}) AND month < ${dayBound('dto')}`;

/** Bit offset in the day mask of the month starting at `month` of a day bound, clamped to the month. */
const dayBit = (day: string, month: string) => `toUInt8(least(31, greatest(0, dateDiff('day', ${month}, ${day}))))`;
const daysMask = (first: string, end: string, month: string) =>
  `toUInt32(bitShiftLeft(toUInt64(1), ${dayBit(end, month)}) - bitShiftLeft(toUInt64(1), ${dayBit(first, month)}))`;

/** The bits of the day mask of the month starting at `month` (a Date) that are whole days of the range. */
export function wholeDaysMask(month: string): string {
  return daysMask(dayBound('dfrom'), dayBound('dto'), month);
}

/** The bits of the day mask of the month starting at `month` of every day the range overlaps, whole or not. */
export function rangeDaysMask(month: string): string {
  return daysMask(dayBound('from'), dayAfterLast, month);
}

/**
 * Hour of the month starting at `month` (a Date) of an hour bound, (day − 1) · 24 + hour as
 * device_months `hours` holds it (rollups.ts), clamped to 0…744.
 */
const hourOfMonth = (param: string, month: string) =>
  `toUInt16(least(744, greatest(0, dateDiff('hour', toDateTime(${month}, 'UTC'), ${hourBound(param)}))))`;

/** `hours`, a device_months array of hours of the month starting at `month`, holds a whole hour of the range. */
export function wholeHoursIn(hours: string, month: string): string {
  return `arrayExists(h -> h >= ${hourOfMonth('hfrom', month)} AND h < ${hourOfMonth('hto', month)}, ${hours})`;
}

/** The bits of a month row's day masks that are whole days of the range. */
export const WHOLE_DAYS_MASK = wholeDaysMask('month');

/** The calendar month of `from` and of the range's last millisecond (Dates of their 1st). */
export const FIRST_MONTH = `toStartOfMonth(${dayBound('from')})`;
export const LAST_MONTH = `toStartOfMonth(toDate(fromUnixTimestamp64Milli({to:Int64} - 1, 'UTC')))`;

/**
 * 1 or 2 when the non-empty range lies in one calendar month or two adjacent ones, inside the
 * rollup window: active users are then a count() of month rows (analytics-queries.ts). Else null.
 */
export function monthsSpanned(s: SplitParams): 1 | 2 | null {
  if (!(s.from < s.to) || s.from < ROLLUP_WINDOW.from || s.to > ROLLUP_WINDOW.to) return null;
  const first = new Date(s.from);
  const last = new Date(s.to - 1);
  const months = (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth();
  return months === 0 ? 1 : months === 1 ? 2 : null;
}

/**
 * What a range needs besides the rollups of its whole hours, so a query can leave out the
 * parts that would read nothing (each subquery costs the engine a few milliseconds to plan,
 * even over no rows). `rawEdges`: a partial hour at either end, read from the raw tables.
 * `partialDays`: part of the range lies outside its whole days (or it has none), so a
 * device's day bits alone cannot say whether it was active in the range.
 */
export type RangeShape = { rawEdges: boolean; partialDays: boolean };

export function rangeShape(s: SplitParams): RangeShape {
  return {
    rawEdges: s.from < s.hfrom || s.hto < s.to,
    partialDays: !(s.dfrom < s.dto && s.from === s.dfrom && s.to === s.dto),
  };
}

/** Hourly rollup rows (`hour` is a DateTime) of the whole hours. */
export const ROLLUP_HOURS = `hour >= ${hourBound('hfrom')} AND hour < ${hourBound('hto')}`;

/** Hourly rollup rows of the whole hours that are not in a whole day. */
export const HOURS_OUTSIDE_DAYS = `((hour >= ${hourBound('hfrom')} AND hour < ${hourBound('dfrom')}) OR (hour >= ${hourBound('dto')} AND hour < ${hourBound('hto')}))`;

/** Raw rows of [from, to) outside the whole hours. */
export function rawEdges(col: string): string {
  return `((${col} >= ${ms('from')} AND ${col} < ${ms('hfrom')}) OR (${col} >= ${ms('hto')} AND ${col} < ${ms('to')}))`;
}

/** Start (epoch ms) of the `{bucket:Int64}`-ms bucket holding `msExpr`; floors negative times too. */
export function bucketOf(msExpr: string): string {
  return `((${msExpr}) - ((((${msExpr}) % {bucket:Int64}) + {bucket:Int64}) % {bucket:Int64}))`;
}
