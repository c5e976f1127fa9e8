import { CLICK_FLOOD_WINDOW_MS, canonicalIp, clickFloodKey } from '@unmogrowp/attribution';
import type { RedisHandle } from '../redis/redis-client.ts';
import { defineScript, type RedisScript } from '../redis/redis-script.ts';
import type { ClickFloodCounter } from './click-flood-counter.ts';

/**
 * KEYS[1] the (link, IP, hour) hash: click id → its place; the empty field counts clicks
 * beyond the cap. KEYS[2] the IP's set of its counters (so erasing an IP needs no scan).
 * ARGV: click id, cap, expire-at ms. One script: two workers counting clicks of one pair at
 * once still give each click its own place.
 */
const HIT = `
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known then return tonumber(known) end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SADD', KEYS[2], KEYS[1])
  if redis.call('PEXPIRETIME', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIREAT', KEYS[2], ARGV[3]) end
end
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
 * The click-flood counter shared by every worker: one small hash per (link, IP, hour of click
 * time) under `<prefix>cf:`, expiring `graceMs` after its hour. A click id is a field, so
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
    this.graceMs = options.graceMs ?? 6 * CLICK_FLOOD_WINDOW_MS;
    this.exactUpTo = Math.max(1, options.exactUpTo ?? 10_000);
    this.script = defineScript(redis.client, 'unmogrowpFloodHit', HIT);
  }

  async hit(linkId: string, ip: string, clickId: string, ts: number): Promise<number> {
    if (clickId === '') throw new RangeError('a click needs its id to be counted once');
    const hour = Math.floor(ts / CLICK_FLOOD_WINDOW_MS);
    const expireAt = Math.max((hour + 1) * CLICK_FLOOD_WINDOW_MS, Date.now()) + this.graceMs;
    const counter = `${this.redis.prefix}cf:${clickFloodKey(linkId, ip)}|${hour}`;
    return Number(await this.script.run([counter, this.ipKey(ip)], [clickId, this.exactUpTo, expireAt]));
  }

  /** Erase (docs/privacy.md): forgets the counts of these IPs on every link; answers how many counters went. */
  async forgetIps(ips: readonly string[]): Promise<number> {
    let n = 0;
    for (const ip of ips) {
      if (canonicalIp(ip) === '') continue;
      const counters = await this.redis.client.smembers(this.ipKey(ip));
      if (counters.length > 0) n += await this.redis.client.del(...counters);
      await this.redis.client.del(this.ipKey(ip));
    }
    return n;
  }

  private ipKey(ip: string): string {
    return `${this.redis.prefix}cfi:${canonicalIp(ip)}`;
  }
}
