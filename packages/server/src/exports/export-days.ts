/**
 * Which UTC days the scheduled export writes (docs/operations.md "Daily raw-data export"). Pure.
 *
 * Day D is due once D has ended and GRACE_MS has passed (events still in the pipeline, devices
 * a little behind, land first). A restart after missed days catches up at most CATCH_UP_DAYS,
 * never before the app existed; a day whose files are all there is not written again.
 */

const DAY_MS = 86_400_000;
export const GRACE_MS = 3_600_000;
export const CATCH_UP_DAYS = 7;

/** 'YYYY-MM-DD' of a UTC instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC days due for export at `now`, oldest first: at most CATCH_UP_DAYS, none before `createdAt`'s day. */
export function dueDays(now: number, createdAt: number): string[] {
  const lastDue = Math.floor((now - GRACE_MS) / DAY_MS) - 1;
  const first = Math.max(lastDue - CATCH_UP_DAYS + 1, Math.floor(createdAt / DAY_MS));
  const days: string[] = [];
  for (let d = first; d <= lastDue; d++) days.push(utcDay(d * DAY_MS));
  return days;
}

/** [start, end) of a 'YYYY-MM-DD' UTC day in epoch ms. */
export function dayRange(day: string): { from: number; to: number } {
  const from = Date.parse(`${day}T00:00:00Z`);
  return { from, to: from + DAY_MS };
}

/** The day directories (`YYYY-MM-DD`) older than `retentionDays` before `now`: what retention removes from the export directory. */
export function expiredDays(days: readonly string[], now: number, retentionDays: number): string[] {
  const cutoff = utcDay(now - retentionDays * DAY_MS);
  return days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d < cutoff);
}
