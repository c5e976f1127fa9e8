import { describe, expect, it } from 'vitest';
import { describeWithRedis, probeRedis } from '../../../storage/test/support/redis.ts';
import { RedisRateLimiter } from '../../src/security/rate-limiter.redis.ts';
import { RateLimiter } from '../../src/security/rate-limiter.ts';
import { clock, describeRateLimiterContract } from './rate-limiter.contract.ts';

describeRateLimiterContract('memory', () => (o) => new RateLimiter(o));

describe('memory rate limiter', () => {
  it('bounds the keys it remembers, forgetting the least recently hit', async () => {
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60, maxKeys: 3, now: clock().now });
    for (const key of ['a', 'b', 'c', 'd']) await limiter.hit(key);
    expect(limiter.size).toBe(3);
    expect((await limiter.check('a')).allowed).toBe(true);
    expect((await limiter.check('d')).allowed).toBe(false);
  });
});

describeWithRedis('redis rate limiter', await probeRedis(), (connect) => {
  describeRateLimiterContract('redis', () => {
    const redis = connect();
    return (o) => new RedisRateLimiter(redis, o);
  });

  it('shares counts between processes and expires a window after the last hit', async () => {
    const first = connect();
    const c = clock(Date.now());
    const a = new RedisRateLimiter(first, { name: 'register', limit: 2, windowSeconds: 30, now: c.now });
    const b = new RedisRateLimiter(connect(first), { name: 'register', limit: 2, windowSeconds: 30, now: c.now });
    await a.hit('ip:1');
    await b.hit('ip:1');
    expect((await a.hit('ip:1')).allowed).toBe(false);
    const ttl = await first.client.pttl(`${first.prefix}rw:register:ip:1`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});
