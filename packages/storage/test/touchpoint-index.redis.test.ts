import { describe, expect, it } from 'vitest';
import { RedisTouchpointIndex } from '../src/index.ts';
import { describeWithRedis, probeRedis } from './support/redis.ts';
import { AD, describeTouchpointIndexContract, T0, touch } from './touchpoint-index.contract.ts';

describeWithRedis('redis touchpoint index', await probeRedis(), (connect) => {
  // 64 shards keeps eviction (which walks every shard) quick in tests; the default is 16384.
  describeTouchpointIndexContract('redis', () => RedisTouchpointIndex.open(connect(), { shards: 64 }));
  // Few shards: lists and records share shards, long lists overflow, as at a real volume.
  describeTouchpointIndexContract('redis, 3 shards', () => RedisTouchpointIndex.open(connect(), { shards: 3 }));

  describe('redis specifics', () => {
    it('shares one index between processes: a click added by one is found and refused by another', async () => {
      const first = connect();
      const a = await RedisTouchpointIndex.open(first, { shards: 64 });
      const b = await RedisTouchpointIndex.open(connect(first), { shards: 999 });
      const click = touch({ advertising_id: AD });
      expect(await a.add(click)).toBe(true);
      expect(await b.add({ ...click })).toBe(false);
      expect(await b.byClickId('app_a', click.touch_id)).toMatchObject({ touch_id: click.touch_id, ts: click.ts });
      expect(await b.size()).toBe(1);
    });

    it('forgets a person: touches with their advertising id and the clicks named, in that app only', async () => {
      const redis = connect();
      const index = await RedisTouchpointIndex.open(redis, { shards: 2 });
      const theirs = touch({ advertising_id: AD.toLowerCase(), network_click_id: 'n'.repeat(90) });
      const theirImpression = touch({ kind: 'impression', advertising_id: AD });
      const winning = touch({ ip: '192.0.2.44' });
      const elsewhere = touch({ app_id: 'app_b', advertising_id: AD });
      const neighbour = touch({ advertising_id: '00000000-1111-4222-8333-444444444444', ip: '192.0.2.44' });
      for (const t of [theirs, theirImpression, winning, elsewhere, neighbour]) expect(await index.add(t)).toBe(true);
      expect(await index.forget('app_a', { advertisingIds: [AD], touchIds: [winning.touch_id, 'clk_unknown'] })).toBe(3);
      expect(await index.byAdvertisingId('app_a', AD, 0)).toEqual([]);
      expect(await index.byClickId('app_a', winning.touch_id)).toBeNull();
      expect((await index.byDevice('app_a', '192.0.2.44', 'ios', '17.4', 0)).map((t) => t.touch_id)).toEqual([neighbour.touch_id]);
      expect(await index.byAdvertisingId('app_b', AD, 0)).toHaveLength(1);
      expect(await index.size()).toBe(2);
      expect(await index.forget('app_a', { advertisingIds: [AD], touchIds: [winning.touch_id] })).toBe(0);
      // Nothing of theirs is left in the lists either.
      const lists = await redis.client.keys(`${redis.prefix}tp:[ad]*`);
      const refs = await Promise.all(
        lists.map(async (k) => Object.values(await redis.client.hgetallBuffer(k)).reduce((n, v) => n + v.length / 8, 0)),
      );
      expect(refs.reduce((a, b) => a + b, 0)).toBe(4); // elsewhere: ad; neighbour: ad + device; elsewhere: device
    });

    it('stores a link profile with the first touch kept, not with a refused one, and again once lost', async () => {
      const redis = connect();
      const index = await RedisTouchpointIndex.open(redis, { shards: 4 });
      await index.add(touch({ ts: T0 + 10 * 3_600_000 }));
      await index.evictBefore(T0 + 5 * 3_600_000);
      // Same link profile: the first is refused (below the floor), the second must still find its labels.
      expect(await index.add(touch({ ts: T0, campaign: 'fresh' }))).toBe(false);
      const kept = touch({ ts: T0 + 6 * 3_600_000, campaign: 'fresh' });
      expect(await index.add(kept)).toBe(true);
      expect(await index.byClickId('app_a', kept.touch_id)).toMatchObject({ campaign: 'fresh', touch_id: kept.touch_id });
      // Profiles lost (a Redis restart without persistence): the next touch stores its profile again.
      for (const key of await redis.client.keys(`${redis.prefix}tp:p:*`)) await redis.client.del(key);
      const after = touch({ ts: T0 + 7 * 3_600_000, campaign: 'fresh' });
      expect(await index.add(after)).toBe(true);
      expect(await index.byClickId('app_a', after.touch_id)).toMatchObject({ campaign: 'fresh' });
    });

    it('puts a TTL on every key it writes', async () => {
      const redis = connect();
      const index = await RedisTouchpointIndex.open(redis, { shards: 4 });
      await index.add(touch({ advertising_id: AD, ts: Date.now() }));
      await index.add(touch({ kind: 'impression', advertising_id: AD, ts: Date.now(), network_click_id: 'n'.repeat(100) }));
      const keys = await redis.client.keys(`${redis.prefix}tp:*`);
      const withoutTtl: string[] = [];
      for (const key of keys) if ((await redis.client.pttl(key)) < 0) withoutTtl.push(key.slice(redis.prefix.length));
      // The shard count, the counter and the journal's start are three small keys per deployment.
      expect(withoutTtl.sort()).toEqual(['tp:J', 'tp:S', 'tp:n']);
    });

    it('leaves no record, list entry or journal behind once everything is evicted', async () => {
      const redis = connect();
      const index = await RedisTouchpointIndex.open(redis, { shards: 2 });
      for (let i = 0; i < 40; i++) {
        await index.add(touch({ ts: T0 + i * 7_000, advertising_id: AD, network_click_id: i % 2 ? 'n'.repeat(80) : '' }));
        await index.add(touch({ kind: 'impression', ts: T0 + i * 7_000, advertising_id: AD }));
      }
      expect(await index.evictBefore(T0 + 3_600_000)).toBe(80);
      const left = (await redis.client.keys(`${redis.prefix}tp:*`)).map((k) => k.slice(redis.prefix.length).replace(/:\d+$/, ':<n>'));
      // Profiles stay until their day's TTL; everything per touch is gone.
      expect([...new Set(left)].sort()).toEqual(['tp:J', 'tp:S', 'tp:f', 'tp:n', 'tp:p:<n>']);
    });

    it('eviction visits only the shards the expiring hours wrote to; an index from before the journal is walked whole', async () => {
      const redis = connect();
      const index = await RedisTouchpointIndex.open(redis, { shards: 64 });
      expect(await index.add(touch({ ts: T0, advertising_id: AD }))).toBe(true);
      // A record no journal knows (as if added by an earlier release), in a shard the hour did not write.
      const bits = (await redis.client.getBuffer(`${redis.prefix}tp:e:${T0 / 3_600_000}`))!;
      const journaled = (s: number) => (bits[s >> 3] ?? 0) & (0x80 >> (s & 7));
      const unvisited = Array.from({ length: 64 }, (_, s) => s).find((s) => !journaled(s))!;
      const [recordKey] = await redis.client.keys(`${redis.prefix}tp:r:*`);
      const [, record] = await redis.client.hgetallBuffer(recordKey!).then((h) => Object.entries(h)[0]!);
      const planted = `${redis.prefix}tp:r:${unvisited}`;
      await redis.client.hset(planted, 'legacy01', record);
      expect(await index.evictBefore(T0 + 3_600_000)).toBe(1);
      expect(await redis.client.hexists(planted, 'legacy01')).toBe(1);
      // The same index as an earlier release left it: journaling began only now, so it walks every shard.
      await redis.client.set(`${redis.prefix}tp:J`, String(Date.now()));
      expect(await index.evictBefore(T0 + 2 * 3_600_000)).toBe(1);
      expect(await redis.client.hexists(planted, 'legacy01')).toBe(0);
    });

    it('evicts a busy hour partially, keeping the touches at or after the floor', async () => {
      const index = await RedisTouchpointIndex.open(connect(), { shards: 8 });
      const touches = Array.from({ length: 60 }, (_, i) => touch({ ts: T0 + i * 1000, advertising_id: AD }));
      for (const t of touches) await index.add(t);
      expect(await index.evictBefore(T0 + 30_500)).toBe(31);
      expect(await index.size()).toBe(29);
      expect((await index.byAdvertisingId('app_a', AD, 0)).map((t) => t.ts).sort()).toEqual(touches.slice(31).map((t) => t.ts));
      expect(await index.evictBefore(T0 + 61_000)).toBe(29);
    });
  });
});
