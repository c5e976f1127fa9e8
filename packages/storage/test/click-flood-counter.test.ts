import { describe, expect, it } from 'vitest';
import { MemoryClickFloodCounter, RedisClickFloodCounter } from '../src/index.ts';
import { click, describeClickFloodCounterContract, hit, T0 } from './click-flood-counter.contract.ts';
import { describeWithRedis, probeRedis } from './support/redis.ts';

const HOUR = 3_600_000;

const hitNowOf = (counter: MemoryClickFloodCounter, c: ReturnType<typeof click>) => counter.hitNow(c.link_id, c.ip, c.touch_id, c.ts);

describeClickFloodCounterContract('memory', async () => new MemoryClickFloodCounter());

describe('memory click-flood counter', () => {
  it("forgets an erased person's IPs on every link and hour, and nobody else's", async () => {
    const counter = new MemoryClickFloodCounter();
    counter.hitNow('lnk_a', '203.0.113.5', 'c1', T0);
    counter.hitNow('lnk_b', '::ffff:203.0.113.5', 'c2', T0 + HOUR + 1);
    counter.hitNow('lnk_a', '203.0.113.50', 'c3', T0 + HOUR + 2);
    expect(await counter.forgetIps(['203.0.113.5'])).toBe(2);
    expect(counter.size()).toBe(1);
    expect(counter.hitNow('lnk_b', '203.0.113.5', 'c4', T0 + HOUR + 3)).toBe(1);
    expect(counter.hitNow('lnk_a', '203.0.113.50', 'c5', T0 + HOUR + 4)).toBe(2);
  });

  it('keeps at most maxKeys counters and forgets hours far behind the newest', () => {
    const counter = new MemoryClickFloodCounter({ maxKeys: 100, keepHours: 2 });
    for (let i = 0; i < 1000; i++) hitNowOf(counter, click({ ip: `10.0.${i >> 8}.${i & 255}`, ts: T0 + Math.floor(i / 10) * HOUR }));
    expect(counter.size()).toBeLessThanOrEqual(100);
    hitNowOf(counter, click({ ts: T0 + 500 * HOUR }));
    expect(counter.size()).toBe(1);
  });

  it('past exactUpTo ids, clicks still count (the limit cannot be slipped past)', () => {
    const counter = new MemoryClickFloodCounter({ exactUpTo: 3 });
    const places = Array.from({ length: 6 }, () => hitNowOf(counter, click()));
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
    expect(await hit(a, one)).toBe(1);
    expect(await hit(b, click({ ts: now }))).toBe(2);
    expect(await hit(b, one)).toBe(1);
    const [key] = await first.client.keys(`${first.prefix}cf:*`);
    const ttl = await first.client.pttl(key!);
    expect(ttl).toBeGreaterThan(2 * HOUR - 60_000);
    expect(ttl).toBeLessThanOrEqual(3 * HOUR);
  });

  it('forgets an erased IP on every link (found through its own set, no scan), and nobody else', async () => {
    const counter = new RedisClickFloodCounter(connect());
    const now = Date.now();
    await hit(counter, click({ ts: now }));
    await hit(counter, click({ link_id: 'lnk_b', ip: '::ffff:203.0.113.5', ts: now + HOUR }));
    await hit(counter, click({ ip: '203.0.113.50', ts: now }));
    expect(await counter.forgetIps(['203.0.113.5', ''])).toBe(2);
    expect(await hit(counter, click({ link_id: 'lnk_b', ts: now + HOUR }))).toBe(1);
    expect(await hit(counter, click({ ip: '203.0.113.50', ts: now }))).toBe(2);
    expect(await counter.forgetIps(['203.0.113.5'])).toBe(1);
  });

  it('past exactUpTo ids, clicks still count', async () => {
    const counter = new RedisClickFloodCounter(connect(), { exactUpTo: 3 });
    const places: number[] = [];
    for (let i = 0; i < 6; i++) places.push(await hit(counter, click()));
    expect(places).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
