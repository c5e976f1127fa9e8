/**
 * A sliding-window counter per key (an IP, an account): at most `limit` hits in any
 * `windowSeconds`. Async so several API processes can share the counts in Redis
 * (rate-limiter.redis.ts); `RateLimiter` below keeps them in this process's memory.
 */
export interface WindowRateLimit {
  /** Whether one more hit would be allowed, without counting one. */
  check(key: string): Promise<RateDecision>;
  /** Counts a hit if allowed and says whether it was. A refused hit is not counted. */
  hit(key: string): Promise<RateDecision>;
  /** Takes back the newest counted hit of the key (a reserved sign-in attempt that turned out right). */
  unhit(key: string): Promise<void>;
  /** Forgets the key (e.g. an account's failures after a good sign-in). */
  reset(key: string): Promise<void>;
}

export interface RateLimiterOptions {
  limit: number;
  windowSeconds: number;
  /** Keys remembered at most; the least recently hit are forgotten first (bounds memory under key spraying). */
  maxKeys?: number;
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until one more hit would be allowed (for `Retry-After`). */
  retryAfterSeconds: number;
  remaining: number;
}

/** The in-memory WindowRateLimit: per process, bounded by `maxKeys`. */
export class RateLimiter implements WindowRateLimit {
  private readonly hits = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowSeconds > 0)) throw new RangeError('limit must be ≥ 1 and windowSeconds > 0');
    this.windowMs = options.windowSeconds * 1000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  async check(key: string): Promise<RateDecision> {
    const now = this.now();
    return this.decide(this.recent(key, now), now);
  }

  async hit(key: string): Promise<RateDecision> {
    const now = this.now();
    const recent = this.recent(key, now);
    const decision = this.decide(recent, now);
    if (!decision.allowed) return decision;
    recent.push(now);
    // Re-inserting moves the key to the end: the Map's order is least recently hit first.
    this.hits.delete(key);
    this.hits.set(key, recent);
    this.evict();
    return { ...decision, remaining: decision.remaining - 1 };
  }

  async unhit(key: string): Promise<void> {
    const stamps = this.hits.get(key);
    if (!stamps || stamps.length === 0) return;
    stamps.pop();
    if (stamps.length === 0) this.hits.delete(key);
  }

  async reset(key: string): Promise<void> {
    this.hits.delete(key);
  }

  get size(): number {
    return this.hits.size;
  }

  private recent(key: string, now: number): number[] {
    const stamps = this.hits.get(key) ?? [];
    const fresh = stamps.filter((t) => now - t < this.windowMs);
    if (fresh.length === 0) this.hits.delete(key);
    return fresh;
  }

  private decide(recent: number[], now: number): RateDecision {
    if (recent.length < this.options.limit) return { allowed: true, retryAfterSeconds: 0, remaining: this.options.limit - recent.length };
    // The oldest hit that must leave the window before one more fits.
    const oldest = recent[recent.length - this.options.limit]!;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)), remaining: 0 };
  }

  private evict(): void {
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}
