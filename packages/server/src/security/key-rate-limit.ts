import type { RateDecision } from './rate-limiter.ts';

/**
 * The ingest rate limit per app key (`INGEST_RATE_LIMIT` requests per second): a token bucket
 * holding one second's worth (at least one request). Async so several ingest processes can
 * share their buckets in Redis (key-rate-limit.redis.ts).
 */
export interface IngestRateLimit {
  /** Takes one request's token if there is one; otherwise says how long until there will be. */
  take(key: string): Promise<RateDecision>;
}

/**
 * A token bucket per key for the ingest hot path (`INGEST_RATE_LIMIT` requests per second per
 * app key): O(1) per request whatever the rate, unlike a window of timestamps. The bucket holds
 * one second's worth, so a client may burst up to the limit and then runs at the rate. Only
 * authenticated keys reach it, so the number of buckets is bounded by the number of live keys.
 */
export class KeyRateLimit implements IngestRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** One second's worth, but at least one request, or a rate below 1/s would never let one through. */
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be > 0');
    this.capacity = Math.max(1, perSecond);
  }

  async take(key: string): Promise<RateDecision> {
    return this.takeNow(key);
  }

  takeNow(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens < 1) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)), remaining: 0 };
    }
    bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
  }
}
