import { defineScript, type RedisHandle, type RedisScript } from '@unmogrowp/storage';
import type { IngestRateLimit } from './key-rate-limit.ts';
import type { RateDecision } from './rate-limiter.ts';

/**
 * KEYS[1] the bucket {t tokens, a last refill ms}; ARGV: now ms, per second, capacity, TTL ms.
 * A clock behind the bucket's (another process's) refills nothing rather than draining it.
 */
const TAKE = `
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local now, rate, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
if now > at then
  tokens = math.min(cap, tokens + (now - at) / 1000 * rate)
  at = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {allowed, tostring(tokens)}
`;

/**
 * The ingest rate limit shared by every ingest process: one small hash per key under
 * `<prefix>rl:`, updated by one script per request (atomic, one round trip). A bucket left
 * alone refills completely within capacity ÷ rate seconds, so it expires then: an idle key
 * costs nothing.
 */
export class RedisKeyRateLimit implements IngestRateLimit {
  private readonly capacity: number;
  private readonly ttlMs: number;
  private readonly script: RedisScript;

  constructor(
    private readonly redis: RedisHandle,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be > 0');
    this.capacity = Math.max(1, perSecond);
    this.ttlMs = Math.ceil((this.capacity / perSecond) * 1000) + 1000;
    this.script = defineScript(redis.client, 'unmogrowpRateTake', TAKE);
  }

  async take(key: string): Promise<RateDecision> {
    const [allowed, left] = (await this.script.run(
      [`${this.redis.prefix}rl:${key}`],
      [this.now(), this.perSecond, this.capacity, this.ttlMs],
    )) as [number, string];
    const tokens = Number(left);
    if (allowed !== 1) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perSecond)), remaining: 0 };
    }
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(tokens) };
  }
}
