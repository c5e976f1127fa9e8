import { MemoryDedupeIndex, RedisDedupeIndex } from '@unmogrowp/pipeline';
import { expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';
import { claimIds, confirmIds } from '../src/ingest/claim-ids.ts';

it('in memory a claim is final at once, and a repeated id in one request is a duplicate', async () => {
  const memory = new MemoryDedupeIndex(7);
  expect(await claimIds(memory, ['a', 'b', 'a'], Date.now())).toEqual(['claimed', 'claimed', 'duplicate']);
  expect(await claimIds(memory, ['a'], Date.now())).toEqual(['duplicate']);
});

describeWithRedis('ids claimed across ingest processes (Redis)', await probeRedis(), (connect) => {
  it('a claim is pending until confirmed; a repeated id in one request is a duplicate, not pending', async () => {
    const redis = connect();
    const ingestA = new RedisDedupeIndex(redis, { windowDays: 7 });
    const ingestB = new RedisDedupeIndex(connect(redis), { windowDays: 7 });
    expect(await claimIds(ingestA, ['x', 'y', 'x'], Date.now())).toEqual(['claimed', 'claimed', 'duplicate']);
    // Another ingest sees the write in flight: neither new nor a duplicate yet.
    expect(await claimIds(ingestB, ['x'], Date.now())).toEqual(['pending']);
    await confirmIds(ingestA, ['x', 'y'], Date.now());
    expect(await claimIds(ingestB, ['x', 'y'], Date.now())).toEqual(['duplicate', 'duplicate']);
  });

  it('an ingest killed before its append leaves a claim that expires, so the retry is accepted', async () => {
    const redis = connect();
    const dead = new RedisDedupeIndex(redis, { windowDays: 7 });
    await claimIds(dead, ['lost'], Date.now()); // never confirmed: the process died here
    const key = `${redis.prefix}d:lost`;
    const ttl = await redis.client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15_000);
    await redis.client.pexpire(key, 1); // as if the pending time had passed
    await new Promise((r) => setTimeout(r, 20));
    expect(await claimIds(new RedisDedupeIndex(connect(redis), { windowDays: 7 }), ['lost'], Date.now())).toEqual(['claimed']);
  });
});
