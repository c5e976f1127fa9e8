import { describe, expect, it } from 'vitest';
import type { IngestRateLimit } from '../../src/security/key-rate-limit.ts';

/** A clock the test moves. */
export interface Clock {
  now: number;
}

/** One suite for every IngestRateLimit adapter; `create(perSecond, clock)` gives one with empty buckets. */
export function describeIngestRateLimitContract(name: string, create: (perSecond: number, clock: Clock) => Promise<IngestRateLimit>): void {
  describe(`ingest rate limit contract: ${name}`, () => {
    it('allows a burst of one second’s worth, then refuses with the wait until the next token', async () => {
      const clock = { now: 1_000_000 };
      const limit = await create(4, clock);
      const burst: boolean[] = [];
      for (let i = 0; i < 5; i++) burst.push((await limit.take('app_a:sdk')).allowed);
      expect(burst).toEqual([true, true, true, true, false]);
      expect(await limit.take('app_a:sdk')).toMatchObject({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
      clock.now += 250; // one token refills at 4/s
      expect(await limit.take('app_a:sdk')).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limit.take('app_a:sdk')).allowed).toBe(false);
    });

    it('keeps keys apart and never refills above the burst', async () => {
      const clock = { now: 1_000_000 };
      const limit = await create(2, clock);
      await limit.take('a');
      expect(await limit.take('a')).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limit.take('a')).allowed).toBe(false);
      expect(await limit.take('b')).toMatchObject({ allowed: true, remaining: 1 });
      clock.now += 60_000;
      const after: boolean[] = [];
      for (let i = 0; i < 3; i++) after.push((await limit.take('a')).allowed);
      expect(after).toEqual([true, true, false]);
    });

    it('lets one request through even below one per second, and says how long to wait', async () => {
      const limit = await create(0.1, { now: 1_000_000 });
      expect((await limit.take('slow')).allowed).toBe(true);
      expect(await limit.take('slow')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    });

    it('counts concurrent requests exactly', async () => {
      const limit = await create(10, { now: 1_000_000 });
      const answers = await Promise.all(Array.from({ length: 25 }, () => limit.take('busy')));
      expect(answers.filter((a) => a.allowed)).toHaveLength(10);
    });
  });
}
