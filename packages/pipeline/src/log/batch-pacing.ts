/**
 * How long a log consumer waits between two calls while less than a full batch is queued.
 *
 * The event store pays a fixed cost per insert whatever its size: about 60 ms of CPU for an
 * events insert with its four rollup views on chDB (docs/benchmarks.md, "fourth round"). At a
 * steady rate the wait therefore sets the share of a core spent on that cost — 30 % with a
 * 200 ms wait — and on two cores it is taken from ingest and queries. So the wait grows with
 * the batch just handled: a trickle is still stored 200 ms after it arrives (a deferred deep
 * link waits on it), while thousands of events a second are gathered into inserts up to a
 * second apart. Both stay well inside the 5-second freshness promise.
 *
 * At a steady rate of r items/s the wait settles at min / (1 − (max − min)·r / fullAtItems),
 * capped at max: with the defaults, ~220 ms at 1,000/s, 400 ms at 5,000/s, 1 s from 8,000/s.
 */
export interface BatchPacing {
  /** Wait after an empty or tiny batch. */
  minIntervalMs: number;
  /** Wait after a batch of `fullAtItems` or more. */
  maxIntervalMs: number;
  fullAtItems: number;
}

const DEFAULT_MIN_BATCH_INTERVAL_MS = 200;
const DEFAULT_MAX_BATCH_INTERVAL_MS = 1000;
const DEFAULT_FULL_AT_ITEMS = 8000;

/** The pacing of a consumer's options; a caller that sets only the minimum (tests: 0–10 ms) never waits longer than it. */
export function batchPacing(options: { minBatchIntervalMs?: number; maxBatchIntervalMs?: number }): BatchPacing {
  const minIntervalMs = options.minBatchIntervalMs ?? DEFAULT_MIN_BATCH_INTERVAL_MS;
  const fallbackMax = options.minBatchIntervalMs === undefined ? DEFAULT_MAX_BATCH_INTERVAL_MS : minIntervalMs;
  return {
    minIntervalMs,
    maxIntervalMs: Math.max(minIntervalMs, options.maxBatchIntervalMs ?? fallbackMax),
    fullAtItems: DEFAULT_FULL_AT_ITEMS,
  };
}

/** The wait before the next call, after a batch of `lastItems` items. */
export function batchIntervalMs(lastItems: number, pacing: BatchPacing): number {
  const share = Math.min(1, Math.max(0, lastItems) / pacing.fullAtItems);
  return Math.round(pacing.minIntervalMs + (pacing.maxIntervalMs - pacing.minIntervalMs) * share);
}
