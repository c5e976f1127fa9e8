import { HOURLY_WEIGHTS, WEEKDAY_WEIGHTS } from './catalog.ts';
import type { Random } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** The oldest touch `POST /v1/clicks` accepts (clicks.routes.ts). */
export const MAX_TOUCH_AGE = 30 * DAY;

export function utcMidnight(ts: number): number {
  return Math.floor(ts / DAY) * DAY;
}

export function utcDate(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** The planned period: `days` UTC days, the last one being the anchor's (so far). */
export function periodStart(anchor: number, days: number): number {
  return utcMidnight(anchor) - (days - 1) * DAY;
}

export interface DayVolume {
  start: number;
  /** installs to plan that day */
  installs: number;
  /** how far through the period, 0…1 (for trends and app versions) */
  fraction: number;
}

/**
 * Installs per UTC day: the asked-for scale, busier at weekends, growing through the month,
 * with day-to-day noise; today only as much as its hours so far would bring.
 */
export function dailyVolumes(random: Random, start: number, anchor: number, scale: number): DayVolume[] {
  const out: DayVolume[] = [];
  const days = Math.round((utcMidnight(anchor) - start) / DAY) + 1;
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const fraction = days === 1 ? 1 : d / (days - 1);
    const weekday = WEEKDAY_WEIGHTS[new Date(dayStart).getUTCDay()]!;
    const trend = 0.85 + 0.3 * fraction;
    const elapsed = hoursWeightBefore(anchor - dayStart);
    const installs = Math.round(scale * weekday * trend * random.between(0.9, 1.1) * elapsed);
    out.push({ start: dayStart, installs, fraction });
  }
  return out;
}

/** The share of a day's installs that happen before `msIntoDay` (1 for a whole day). */
function hoursWeightBefore(msIntoDay: number): number {
  const total = HOURLY_WEIGHTS.reduce((a, b) => a + b, 0);
  let before = 0;
  for (let h = 0; h < 24; h++) {
    const overlap = Math.min(Math.max(msIntoDay - h * HOUR, 0), HOUR) / HOUR;
    before += HOURLY_WEIGHTS[h]! * overlap;
  }
  return before / total;
}

/** A moment in the day starting at `dayStart`, following the hourly curve, before `limit`. */
export function momentInDay(random: Random, dayStart: number, limit: number): number {
  const hours = HOURLY_WEIGHTS.map((weight, hour) => ({ weight, hour })).filter((h) => dayStart + h.hour * HOUR < limit);
  if (hours.length === 0) return Math.min(dayStart, limit);
  const { hour } = random.weighted(hours, (h) => h.weight);
  const ts = dayStart + hour * HOUR + Math.floor(random.next() * HOUR);
  return Math.min(ts, limit);
}
