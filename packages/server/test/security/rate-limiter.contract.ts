import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import type { WindowRateLimit } from '../../src/security/rate-limiter.ts';

export function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

export type MakeLimiter = (options: { name: string; limit: number; windowSeconds: number; now: () => number }) => WindowRateLimit;

/** One suite for every WindowRateLimit adapter, and the login throttle built on it. */
export function describeRateLimiterContract(name: string, make: () => MakeLimiter): void {
  describe(`rate limiter contract: ${name}`, () => {
    it('allows `limit` hits per window, then refuses with the wait until one more fits', async () => {
      const c = clock();
      const limiter = make()({ name: 'l', limit: 3, windowSeconds: 60, now: c.now });
      expect(await limiter.hit('k')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
      c.advance(10);
      await limiter.hit('k');
      c.advance(10);
      expect(await limiter.hit('k')).toMatchObject({ allowed: true, remaining: 0 });
      expect(await limiter.hit('k')).toEqual({ allowed: false, retryAfterSeconds: 40, remaining: 0 });
      expect(await limiter.check('other')).toMatchObject({ allowed: true, remaining: 3 });
      c.advance(40);
      expect(await limiter.check('k')).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('slides: a burst at the end of one window is still counted at the start of the next', async () => {
      const c = clock();
      const limiter = make()({ name: 'l', limit: 2, windowSeconds: 60, now: c.now });
      c.advance(59);
      await limiter.hit('k');
      await limiter.hit('k');
      c.advance(2);
      expect(await limiter.hit('k')).toMatchObject({ allowed: false, retryAfterSeconds: 58 });
    });

    it('does not count refused hits, and forgets on reset', async () => {
      const c = clock();
      const limiter = make()({ name: 'l', limit: 1, windowSeconds: 60, now: c.now });
      await limiter.hit('k');
      for (let i = 0; i < 5; i++) await limiter.hit('k');
      c.advance(60);
      expect((await limiter.hit('k')).allowed).toBe(true);
      await limiter.reset('k');
      expect((await limiter.check('k')).allowed).toBe(true);
    });

    it('gives the 11th rapid wrong password for one account 429, from any IP', async () => {
      const c = clock();
      const m = make();
      const throttle = new LoginThrottle({
        now: c.now,
        limiter: (n, limit, windowSeconds) => m({ name: n, limit, windowSeconds, now: c.now }),
      });
      for (let i = 0; i < 10; i++) {
        const attempt = { ip: '198.51.100.1', email: 'victim@example.com' };
        expect((await throttle.reserve(attempt)).allowed).toBe(true);
      }
      expect(await throttle.check({ ip: '198.51.100.1', email: 'victim@example.com' })).toMatchObject({
        allowed: false,
        retryAfterSeconds: 900,
      });
      expect(await throttle.check({ ip: '203.0.113.99', email: 'VICTIM@example.com ' })).toMatchObject({ allowed: false });
      expect((await throttle.check({ ip: '203.0.113.99', email: 'someone@example.com' })).allowed).toBe(true);
      c.advance(15 * 60);
      expect((await throttle.check({ ip: '198.51.100.1', email: 'victim@example.com' })).allowed).toBe(true);
    });

    it('limits one IP spraying many accounts, and clears an account (not its IP) after a good sign-in', async () => {
      const c = clock();
      const m = make();
      const throttle = new LoginThrottle({
        maxFailures: 3,
        windowSeconds: 60,
        limiter: (n, limit, windowSeconds) => m({ name: n, limit, windowSeconds, now: c.now }),
      });
      for (let i = 0; i < 3; i++) await throttle.reserve({ ip: '192.0.2.7', email: `user${i}@example.com` });
      expect(await throttle.check({ ip: '192.0.2.7', email: 'fresh@example.com' })).toMatchObject({
        allowed: false,
        retryAfterSeconds: 60,
      });
      expect((await throttle.check({ ip: '192.0.2.8', email: 'fresh@example.com' })).allowed).toBe(true);
      const ann = { ip: '192.0.2.1', email: 'ann@example.com' };
      // Two wrong passwords, then the right one: every attempt is reserved first, the good one given back.
      for (let i = 0; i < 3; i++) await throttle.reserve(ann);
      await throttle.recordSuccess(ann);
      await throttle.reserve({ ip: '192.0.2.2', email: 'ann@example.com' });
      await throttle.reserve({ ip: '192.0.2.2', email: 'ann@example.com' });
      expect((await throttle.check({ ip: '192.0.2.3', email: 'ann@example.com' })).allowed).toBe(true);
      await throttle.reserve({ ip: '192.0.2.1', email: 'bob@example.com' });
      expect((await throttle.check({ ip: '192.0.2.1', email: 'carl@example.com' })).allowed).toBe(false);
    });

    it('lets at most maxFailures of a concurrent burst through (each reserved before the password is checked)', async () => {
      const m = make();
      const throttle = new LoginThrottle({
        maxFailures: 5,
        limiter: (n, limit, windowSeconds) => m({ name: n, limit, windowSeconds, now: clock().now }),
      });
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => throttle.reserve({ ip: `198.51.100.${i}`, email: 'burst@example.com' })),
      );
      expect(burst.filter((d) => d.allowed)).toHaveLength(5);
    });
  });
}
