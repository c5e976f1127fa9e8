import { describe, expect, it } from 'vitest';
import { KeyRateLimit } from '../../src/security/key-rate-limit.ts';

describe('KeyRateLimit (token bucket per key)', () => {
  it('allows a burst of one second’s worth, then refuses with the wait until the next token', () => {
    let now = 0;
    const limit = new KeyRateLimit(4, () => now);
    const burst = Array.from({ length: 5 }, () => limit.take('app_a:sdk').allowed);
    expect(burst).toEqual([true, true, true, true, false]);
    expect(limit.take('app_a:sdk')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    now += 250; // one token refills at 4/s
    expect(limit.take('app_a:sdk').allowed).toBe(true);
    expect(limit.take('app_a:sdk').allowed).toBe(false);
  });

  it('keeps keys apart and never refills above the burst', () => {
    let now = 0;
    const limit = new KeyRateLimit(2, () => now);
    limit.take('a');
    limit.take('a');
    expect(limit.take('a').allowed).toBe(false);
    expect(limit.take('b').allowed).toBe(true);
    now += 60_000;
    expect([limit.take('a').allowed, limit.take('a').allowed, limit.take('a').allowed]).toEqual([true, true, false]);
  });

  it('lets one request through even below one per second, and says how long to wait', () => {
    const limit = new KeyRateLimit(0.1, () => 0);
    expect(limit.take('slow').allowed).toBe(true);
    expect(limit.take('slow').allowed).toBe(false);
    expect(limit.take('slow').retryAfterSeconds).toBe(10);
  });

  it('forgets the oldest keys beyond its bound', () => {
    const limit = new KeyRateLimit(1, () => 0, 2);
    limit.take('a');
    limit.take('b');
    limit.take('c');
    // 'a' was evicted, so it starts with a full bucket again.
    expect(limit.take('a').allowed).toBe(true);
  });
});
