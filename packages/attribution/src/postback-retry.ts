import { HOUR_MS } from './windows.ts';

/**
 * docs/attribution-rules.md: 5xx, 429, timeouts and connection errors are retried with backoff for at least 24 hours
 * (≥ 5 attempts); other 4xx are not. Base delays before retry 1…9; with ±20 % jitter the shortest
 * possible total is 0.8 × ~34.2 h ≈ 27.4 h, so the 24-hour promise holds for every random draw, and
 * the first two retries stay under 10 s and 60 s even at +20 %.
 */
export const RETRY_BASE_DELAYS_MS: readonly number[] = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  12 * HOUR_MS,
];
export const RETRY_JITTER = 0.2;
/** The first try plus one per base delay. */
export const POSTBACK_MAX_ATTEMPTS = RETRY_BASE_DELAYS_MS.length + 1;

/**
 * Delay before the next attempt after attempt number `attempt` (1 = the first try) failed; null when
 * that was the last attempt. `random` returns [0, 1) (Math.random, or a seeded source in tests).
 */
export function retrySchedule(attempt: number, random: () => number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`);
  const base = RETRY_BASE_DELAYS_MS[attempt - 1];
  if (base === undefined) return null;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 + (2 * r - 1) * RETRY_JITTER));
}

export type DeliveryResult = number | 'timeout' | 'network';
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

export function isRetryable(result: DeliveryResult): boolean {
  if (result === 'timeout' || result === 'network') return true;
  return result === 429 || (result >= 500 && result <= 599);
}

/** 2xx delivered; retryable results retry; anything else (4xx, an unfollowed 3xx) is a final failure. */
export function deliveryOutcome(result: DeliveryResult): DeliveryOutcome {
  if (typeof result === 'number' && result >= 200 && result <= 299) return 'delivered';
  return isRetryable(result) ? 'retry' : 'failed';
}
