import type { RedisHandle } from '../redis/redis-client.ts';
import { defineScript, type RedisScript } from '../redis/redis-script.ts';
import { type ClickFloodCounter, DEFAULT_FLOOD_EXACT_UP_TO, FLOOD_HOUR_MS, type FloodClick, floodKey } from './click-flood-counter.ts';

/**
 * KEYS[1] the (app, link, IP, hour) hash: click id → its place; the empty field counts clicks
 * beyond the cap. ARGV: click id, cap, expire-at ms. One script: two workers counting clicks of
 * one pair at once still give each click its own place.
 */
const HIT = `
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known then return tonumber(known) end
local cap = tonumber(ARGV[2])
local place
if redis.call('HEXISTS', KEYS[1], '') == 0 and redis.call('HLEN', KEYS[1]) < cap then
  place = redis.call('HLEN', KEYS[1]) + 1
  redis.call('HSET', KEYS[1], ARGV[1], place)
else
  place = cap + redis.call('HINCRBY', KEYS[1], '', 1)
end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return place
`;

export interface RedisClickFloodCounterOptions {
  /** How long after the end of its hour (or after now, when later) a counter is kept (default 6 h): covers late and replayed clicks. */
  graceMs?: number;
  /** Click ids kept per counter (default 10,000); beyond, clicks count without their ids. */
  exactUpTo?: number;
}

/**
 * The click-flood counter shared by every worker: one small hash per (app, link, IP, hour of
 * click time) under `<prefix>cf:`, expiring `graceMs` after its hour. A click id is a field, so
 * a replayed click finds its first answer.
 */
export class RedisClickFloodCounter implements ClickFloodCounter {
  private readonly script: RedisScript;
  private readonly graceMs: number;
  private readonly exactUpTo: number;

  constructor(
    private readonly redis: RedisHandle,
    options: RedisClickFloodCounterOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 6 * FLOOD_HOUR_MS;
    this.exactUpTo = Math.max(1, options.exactUpTo ?? DEFAULT_FLOOD_EXACT_UP_TO);
    this.script = defineScript(redis.client, 'unmogrowpFloodHit', HIT);
  }

  async hit(click: FloodClick): Promise<number> {
    if (click.touch_id === '') throw new RangeError('a click needs its id to be counted once');
    const hourEnd = (Math.floor(click.ts / FLOOD_HOUR_MS) + 1) * FLOOD_HOUR_MS;
    const expireAt = Math.max(hourEnd, Date.now()) + this.graceMs;
    return Number(await this.script.run([`${this.redis.prefix}cf:${floodKey(click)}`], [click.touch_id, this.exactUpTo, expireAt]));
  }
}
