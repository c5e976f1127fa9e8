import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/security/login-throttle.ts';
import { RateLimiter } from '../../src/security/rate-limiter.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

describe('rate limiter', () => {
  it('allows `limit` hits per window, then refuses with the wait until one more fits', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 3, windowSeconds: 60, now: c.now });
    expect(limiter.hit('k')).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 2 });
    c.advance(10);
    limiter.hit('k');
    c.advance(10);
    expect(limiter.hit('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.hit('k')).toEqual({ allowed: false, retryAfterSeconds: 40, remaining: 0 });
    expect(limiter.check('other')).toMatchObject({ allowed: true, remaining: 3 });
    c.advance(40);
    expect(limiter.check('k')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('slides: a burst at the end of one window is still counted at the start of the next', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 60, now: c.now });
    c.advance(59);
    limiter.hit('k');
    limiter.hit('k');
    c.advance(2);
    expect(limiter.hit('k')).toMatchObject({ allowed: false, retryAfterSeconds: 58 });
  });

  it('does not count refused hits, forgets on reset, and bounds the keys it remembers', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60, maxKeys: 3, now: c.now });
    limiter.hit('k');
    for (let i = 0; i < 5; i++) limiter.hit('k');
    c.advance(60);
    expect(limiter.hit('k').allowed).toBe(true);
    limiter.reset('k');
    expect(limiter.check('k').allowed).toBe(true);
    for (const key of ['a', 'b', 'c', 'd']) limiter.hit(key);
    expect(limiter.size).toBe(3);
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('d').allowed).toBe(false);
  });
});

describe('login throttle', () => {
  it('gives the 11th rapid wrong password for one account 429, from any IP', () => {
    const c = clock();
    const throttle = new LoginThrottle({ now: c.now });
    for (let i = 0; i < 10; i++) {
      const attempt = { ip: '198.51.100.1', email: 'victim@example.com' };
      expect(throttle.check(attempt).allowed).toBe(true);
      throttle.reserve(attempt);
    }
    expect(throttle.check({ ip: '198.51.100.1', email: 'victim@example.com' })).toMatchObject({ allowed: false, retryAfterSeconds: 900 });
    expect(throttle.check({ ip: '203.0.113.99', email: 'VICTIM@example.com ' })).toMatchObject({ allowed: false });
    expect(throttle.check({ ip: '203.0.113.99', email: 'someone@example.com' }).allowed).toBe(true);
    c.advance(15 * 60);
    expect(throttle.check({ ip: '198.51.100.1', email: 'victim@example.com' }).allowed).toBe(true);
  });

  it('limits one IP spraying many accounts', () => {
    const throttle = new LoginThrottle({ maxFailures: 5, windowSeconds: 60, now: clock().now });
    for (let i = 0; i < 5; i++) throttle.reserve({ ip: '192.0.2.7', email: `user${i}@example.com` });
    expect(throttle.check({ ip: '192.0.2.7', email: 'fresh@example.com' })).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect(throttle.check({ ip: '192.0.2.8', email: 'fresh@example.com' }).allowed).toBe(true);
  });

  it('clears an account’s failures after a good sign-in, but not the IP’s', () => {
    const throttle = new LoginThrottle({ maxFailures: 3, now: clock().now });
    const attempt = { ip: '192.0.2.1', email: 'ann@example.com' };
    // Two wrong passwords, then a good one: every attempt is reserved first, the good one given back.
    for (let i = 0; i < 3; i++) throttle.reserve(attempt);
    throttle.recordSuccess(attempt);
    throttle.reserve({ ip: '192.0.2.2', email: 'ann@example.com' });
    throttle.reserve({ ip: '192.0.2.2', email: 'ann@example.com' });
    expect(throttle.check({ ip: '192.0.2.3', email: 'ann@example.com' }).allowed).toBe(true);
    throttle.reserve({ ip: '192.0.2.1', email: 'bob@example.com' });
    expect(throttle.check({ ip: '192.0.2.1', email: 'carl@example.com' }).allowed).toBe(false);
  });
});
