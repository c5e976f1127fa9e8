import type { Interval, TimePoint } from '../api/types.ts';

export interface Bucket {
  /** bucket start, epoch ms (UTC) */
  t: number;
  value: number;
  /** the bucket holding `now`: still filling, so its bar is marked and not read as a result */
  partial?: boolean;
}

const STEP: Record<Interval, number> = { day: 86_400_000, hour: 3_600_000 };
/** Hourly charts are offered only up to this many days; beyond, bars are thinner than a pixel. */
export const MAX_HOURLY_DAYS = 14;

function floorTo(ms: number, interval: Interval): number {
  return ms - (((ms % STEP[interval]) + STEP[interval]) % STEP[interval]);
}

/**
 * One bucket per day/hour from `from` (inclusive) to `to` (exclusive), zero where the API sent no
 * point: a quiet day must show as a gap in the bars, not vanish from the axis. Buckets that start
 * after `now` have not happened and are left out (not drawn as zero); the one holding `now` is
 * marked `partial`.
 */
export function fillSeries(
  points: readonly TimePoint[],
  range: { from: string; to: string },
  interval: Interval,
  now: number = Date.now(),
): Bucket[] {
  const start = floorTo(Date.parse(range.from.length === 10 ? `${range.from}T00:00:00Z` : range.from), interval);
  const end = Date.parse(range.to.length === 10 ? `${range.to}T00:00:00Z` : range.to);
  const byBucket = new Map<number, number>();
  for (const p of points) {
    const ms = Date.parse(p.t);
    if (!Number.isFinite(ms)) continue;
    const key = floorTo(ms, interval);
    byBucket.set(key, (byBucket.get(key) ?? 0) + p.value);
  }
  const out: Bucket[] = [];
  if (!Number.isFinite(start) || !Number.isFinite(end)) return out;
  for (let t = start; t < end && t <= now; t += STEP[interval]) {
    const bucket: Bucket = { t, value: byBucket.get(t) ?? 0 };
    if (now < t + STEP[interval]) bucket.partial = true;
    out.push(bucket);
  }
  return out;
}

export function seriesTotal(buckets: readonly Bucket[]): number {
  return buckets.reduce((sum, b) => sum + b.value, 0);
}
