import { MemoryDedupeIndex, RedisDedupeIndex } from '@unmogrowp/pipeline';
import { expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../storage/test/support/redis.ts';

// The ingest claims ids through the dedupe port: pending while its log append runs, committed
// after the log's ack, released when the append fails (src/ingest/accept-items.ts).

it('in memory a claim is pending until committed, and a released claim can be taken again', async () => {
  const memory = new MemoryDedupeIndex(7);
  expect(await memory.claim(['a', 'b'], Date.now())).toEqual(['claimed', 'claimed']);
  expect(await memory.claim(['a'], Date.now())).toEqual(['pending']);
  await memory.commit(['a'], Date.now());
  await memory.release(['b']);
  expect(await memory.claim(['a', 'b'], Date.now())).toEqual(['duplicate', 'claimed']);
});

describeWithRedis('ids claimed across ingest processes (Redis)', await probeRedis(), (connect) => {
  it('a claim is pending for another ingest until committed after the log ack', async () => {
    const redis = connect();
    const ingestA = new RedisDedupeIndex(redis, { windowDays: 7 });
    const ingestB = new RedisDedupeIndex(connect(redis), { windowDays: 7 });
    expect(await ingestA.claim(['x', 'y'], Date.now())).toEqual(['claimed', 'claimed']);
    // Another ingest sees the write in flight: neither new nor a duplicate yet.
    expect(await ingestB.claim(['x'], Date.now())).toEqual(['pending']);
    await ingestA.commit(['x', 'y'], Date.now());
    expect(await ingestB.claim(['x', 'y'], Date.now())).toEqual(['duplicate', 'duplicate']);
  });

  it('a failed append releases the claim, so the retry on another ingest is accepted', async () => {
    const redis = connect();
    const ingestA = new RedisDedupeIndex(redis, { windowDays: 7 });
    const ingestB = new RedisDedupeIndex(connect(redis), { windowDays: 7 });
    expect(await ingestA.claim(['failed'], Date.now())).toEqual(['claimed']);
    await ingestA.release(['failed']);
    expect(await ingestB.claim(['failed'], Date.now())).toEqual(['claimed']);
  });

  it('an ingest killed before its append leaves a claim that expires, so the retry is accepted', async () => {
    const redis = connect();
    const dead = new RedisDedupeIndex(redis, { windowDays: 7 });
    await dead.claim(['lost'], Date.now()); // never committed: the process died here
    const key = `${redis.prefix}d:lost`;
    const ttl = await redis.client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await redis.client.pexpire(key, 1); // as if the pending time had passed
    await new Promise((r) => setTimeout(r, 20));
    expect(await new RedisDedupeIndex(connect(redis), { windowDays: 7 }).claim(['lost'], Date.now())).toEqual(['claimed']);
  });
});
