import { describe, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import { MemoryDedupeIndex, RedisDedupeIndex } from '../src/index.ts';
import { describeDedupeIndexContract } from './dedupe-index.contract.ts';

const DAY = 86_400_000;

describeDedupeIndexContract('memory', async () => new MemoryDedupeIndex(7));

describeWithRedis('redis dedupe index', await probeRedis(), (connect) => {
  describeDedupeIndexContract('redis', async () => new RedisDedupeIndex(connect(), { windowDays: 7 }));

  it('sets a TTL of the window on a claim and on a warmed key (from its own time)', async () => {
    const redis = connect();
    const index = new RedisDedupeIndex(redis, { windowDays: 7 });
    await index.claim(['t\u0000claimed'], Date.now());
    await index.remember(['t\u0000warm', 't\u0000too-old'], [Date.now() - 2 * DAY, Date.now() - 8 * DAY]);
    const claimedTtl = await redis.client.pttl(`${redis.prefix}d:t\u0000claimed`);
    const warmTtl = await redis.client.pttl(`${redis.prefix}d:t\u0000warm`);
    expect(claimedTtl).toBeGreaterThan(7 * DAY - 60_000);
    expect(claimedTtl).toBeLessThanOrEqual(7 * DAY);
    expect(warmTtl).toBeGreaterThan(5 * DAY - 60_000);
    expect(warmTtl).toBeLessThanOrEqual(5 * DAY);
    expect(await redis.client.exists(`${redis.prefix}d:t\u0000too-old`)).toBe(0);
  });

  it('tells a pending claim from a committed one, and commit makes it final for the window', async () => {
    const redis = connect();
    const index = new RedisDedupeIndex(redis, { windowDays: 7 });
    expect(await index.claimStates(['p\u00001'], Date.now(), 'p', 30_000)).toEqual(['claimed']);
    expect(await index.claimStates(['p\u00001'], Date.now(), 'p', 30_000)).toEqual(['pending']);
    expect(await redis.client.pttl(`${redis.prefix}d:p\u00001`)).toBeLessThanOrEqual(30_000);
    await index.commit(['p\u00001'], Date.now());
    expect(await index.claimStates(['p\u00001'], Date.now(), 'p', 30_000)).toEqual(['duplicate']);
    expect(await redis.client.pttl(`${redis.prefix}d:p\u00001`)).toBeGreaterThan(6 * DAY);
  });

  it('lets exactly one of two processes claim an id they race for', async () => {
    const first = connect();
    const a = new RedisDedupeIndex(first, { windowDays: 7 });
    const b = new RedisDedupeIndex(connect(first), { windowDays: 7 });
    const keys = Array.from({ length: 500 }, (_, i) => `race\u0000${i}`);
    const [ra, rb] = await Promise.all([a.claim(keys, Date.now()), b.claim(keys, Date.now())]);
    for (let i = 0; i < keys.length; i++) expect(ra[i] !== rb[i]).toBe(true);
  });
});

describe('redis dedupe index options', () => {
  it('refuses a window under a day', () => {
    expect(() => new RedisDedupeIndex({} as never, { windowDays: 0 })).toThrow(/windowDays/);
  });
});
