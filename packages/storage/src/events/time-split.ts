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

/** device_months rows (`month` is the Date of its 1st) of the months the whole days touch. */
export const MONTHS_OF_DAYS = `month >= toStartOfMonth(${dayBound('dfrom')}) AND month < ${dayBound('dto')}`;

/** Bit offset in a month row's day mask of a day bound, clamped to the month. */
const dayBit = (param: string) => `toUInt8(least(31, greatest(0, dateDiff('day', month, ${dayBound(param)}))))`;

/** The bits of a month row's day masks that are whole days of the range. */
export const WHOLE_DAYS_MASK = `toUInt32(bitShiftLeft(toUInt64(1), ${dayBit('dto')}) - bitShiftLeft(toUInt64(1), ${dayBit('dfrom')}))`;

/** True when the range is exactly whole days of one calendar month: active users are then a count(). */
export function isWholeDaysOfOneMonth(s: SplitParams): boolean {
  if (!(s.dfrom < s.dto) || s.from !== s.dfrom || s.to !== s.dto) return false;
  const first = new Date(s.dfrom);
  const last = new Date(s.dto - 1);
  return first.getUTCFullYear() === last.getUTCFullYear() && first.getUTCMonth() === last.getUTCMonth();
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
