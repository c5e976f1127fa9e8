import { describe, expect, it } from 'vitest';
import { MemoryClickFloodCounter, RedisClickFloodCounter } from '../src/index.ts';
import { click, describeClickFloodCounterContract, T0 } from './click-flood-counter.contract.ts';
import { describeWithRedis, probeRedis } from './support/redis.ts';

const HOUR = 3_600_000;

describeClickFloodCounterContract('memory', async () => new MemoryClickFloodCounter());

describe('memory click-flood counter', () => {
  it('keeps at most maxKeys counters and forgets hours far behind the newest', () => {
    const counter = new MemoryClickFloodCounter({ maxKeys: 100, keepHours: 2 });
    for (let i = 0; i < 1000; i++) counter.hitNow(click({ ip: `10.0.${i >> 8}.${i & 255}`, ts: T0 + Math.floor(i / 10) * HOUR }));
    expect(counter.size()).toBeLessThanOrEqual(100);
    counter.hitNow(click({ ts: T0 + 500 * HOUR }));
    expect(counter.size()).toBe(1);
  });

  it('past exactUpTo ids, clicks still count (the limit cannot be slipped past)', () => {
    const counter = new MemoryClickFloodCounter({ exactUpTo: 3 });
    const places = Array.from({ length: 6 }, () => counter.hitNow(click()));
    expect(places).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describeWithRedis('redis click-flood counter', await probeRedis(), (connect) => {
  describeClickFloodCounterContract('redis', async () => new RedisClickFloodCounter(connect()));

  it('shares counts between processes and expires a counter hours after its hour', async () => {
    const first = connect();
    const a = new RedisClickFloodCounter(first, { graceMs: 2 * HOUR });
    const b = new RedisClickFloodCounter(connect(first), { graceMs: 2 * HOUR });
    const now = Date.now();
    const one = click({ ts: now });
    expect(await a.hit(one)).toBe(1);
    expect(await b.hit(click({ ts: now }))).toBe(2);
    expect(await b.hit(one)).toBe(1);
    const [key] = await first.client.keys(`${first.prefix}cf:*`);
    const ttl = await first.client.pttl(key!);
    expect(ttl).toBeGreaterThan(2 * HOUR - 60_000);
    expect(ttl).toBeLessThanOrEqual(3 * HOUR);
  });

  it('past exactUpTo ids, clicks still count', async () => {
    const counter = new RedisClickFloodCounter(connect(), { exactUpTo: 3 });
    const places: number[] = [];
    for (let i = 0; i < 6; i++) places.push(await counter.hit(click()));
    expect(places).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
