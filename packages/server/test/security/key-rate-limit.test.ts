import { describe, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../../storage/test/support/redis.ts';
import { RedisKeyRateLimit } from '../../src/security/key-rate-limit.redis.ts';
import { KeyRateLimit } from '../../src/security/key-rate-limit.ts';
import { describeIngestRateLimitContract } from './key-rate-limit.contract.ts';

describeIngestRateLimitContract('memory', async (perSecond, clock) => new KeyRateLimit(perSecond, () => clock.now));

describe('memory ingest rate limit', () => {
  it('forgets the oldest keys beyond its bound', () => {
    const limit = new KeyRateLimit(1, () => 0, 2);
    limit.takeNow('a');
    limit.takeNow('b');
    limit.takeNow('c');
    // 'a' was evicted, so it starts with a full bucket again.
    expect(limit.takeNow('a').allowed).toBe(true);
  });
});

describeWithRedis('redis ingest rate limit', await probeRedis(), (connect) => {
  describeIngestRateLimitContract('redis', async (perSecond, clock) => new RedisKeyRateLimit(connect(), perSecond, () => clock.now));

  it('shares one bucket between processes, and lets an idle bucket expire', async () => {
    const first = connect();
    const clock = { now: Date.now() };
    const a = new RedisKeyRateLimit(first, 2, () => clock.now);
    const b = new RedisKeyRateLimit(connect(first), 2, () => clock.now);
    expect((await a.take('k')).allowed).toBe(true);
    expect((await b.take('k')).allowed).toBe(true);
    expect((await a.take('k')).allowed).toBe(false);
    const ttl = await first.client.pttl(`${first.prefix}rl:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('does not drain a bucket when this process’s clock is behind the last writer’s', async () => {
    const first = connect();
    const ahead = new RedisKeyRateLimit(first, 2, () => 1_000_000);
    const behind = new RedisKeyRateLimit(connect(first), 2, () => 999_000);
    expect((await ahead.take('skew')).allowed).toBe(true);
    expect(await behind.take('skew')).toMatchObject({ allowed: true, remaining: 0 });
  });
});
