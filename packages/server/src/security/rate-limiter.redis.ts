import { randomBytes } from 'node:crypto';
import { defineScript, type RedisHandle, type RedisScript } from '@unmogrowp/storage';
import type { RateDecision, WindowRateLimit } from './rate-limiter.ts';

/**
 * KEYS[1] the key's sorted set of hit times; ARGV: now ms, window ms, limit, 'hit' or 'check',
 * a unique member. Answers {allowed, remaining, oldest counted hit that must leave first}.
 */
const WINDOW = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
  if ARGV[4] == 'hit' then
    redis.call('ZADD', KEYS[1], now, ARGV[5])
    redis.call('PEXPIRE', KEYS[1], window)
    return {1, limit - n - 1, 0}
  end
  return {1, limit - n, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
return {0, 0, oldest[2]}
`;

export interface RedisRateLimiterOptions {
  /** Keeps limiters apart under one prefix (e.g. 'login-account', 'register'). */
  name: string;
  limit: number;
  windowSeconds: number;
  now?: () => number;
}

/**
 * The sliding window shared by every API process: one sorted set of hit times per key under
 * `<prefix>rw:<name>:`, trimmed and read by one script per call, expiring a window after the
 * last counted hit.
 */
export class RedisRateLimiter implements WindowRateLimit {
  private readonly script: RedisScript;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RedisHandle,
    private readonly options: RedisRateLimiterOptions,
  ) {
    if (!(options.limit >= 1) || !(options.windowSeconds > 0)) throw new RangeError('limit must be ≥ 1 and windowSeconds > 0');
    this.windowMs = options.windowSeconds * 1000;
    this.now = options.now ?? Date.now;
    this.keyPrefix = `${redis.prefix}rw:${options.name}:`;
    this.script = defineScript(redis.client, 'unmogrowpRateWindow', WINDOW);
  }

  check(key: string): Promise<RateDecision> {
    return this.run(key, 'check');
  }

  hit(key: string): Promise<RateDecision> {
    return this.run(key, 'hit');
  }

  async unhit(key: string): Promise<void> {
    await this.redis.client.zpopmax(this.keyPrefix + key);
  }

  async reset(key: string): Promise<void> {
    await this.redis.client.del(this.keyPrefix + key);
  }

  private async run(key: string, mode: 'hit' | 'check'): Promise<RateDecision> {
    const now = this.now();
    const [allowed, remaining, oldest] = (await this.script.run(
      [this.keyPrefix + key],
      [now, this.windowMs, this.options.limit, mode, `${now}:${randomBytes(6).toString('hex')}`],
    )) as [number, number, string | number];
    if (allowed === 1) return { allowed: true, retryAfterSeconds: 0, remaining };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((Number(oldest) + this.windowMs - now) / 1000)), remaining: 0 };
  }
}
