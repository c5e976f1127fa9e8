import { describe, expect, it } from 'vitest';
import { deliveryOutcome, isRetryable, POSTBACK_MAX_ATTEMPTS, RETRY_BASE_DELAYS_MS, retrySchedule } from '../src/index.ts';
import { seeded } from './fixtures.ts';

const HOUR = 3_600_000;

/** All delays of one postback that never succeeds. */
function fullSchedule(random: () => number): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const d = retrySchedule(attempt, random);
    if (d === null) return delays;
    delays.push(d);
  }
}

describe('retrySchedule', () => {
  it('meets the contract for every random source (property loop over 2000 seeds)', () => {
    expect(POSTBACK_MAX_ATTEMPTS).toBeGreaterThanOrEqual(5);
    const violations: string[] = [];
    for (let seed = 1; seed <= 2000; seed++) {
      const delays = fullSchedule(seeded(seed));
      const total = delays.reduce((a, b) => a + b, 0);
      if (delays.length + 1 !== POSTBACK_MAX_ATTEMPTS) violations.push(`seed ${seed}: ${delays.length + 1} attempts`);
      if (delays[0]! > 10_000) violations.push(`seed ${seed}: first retry after ${delays[0]} ms`);
      if (delays[1]! > 60_000) violations.push(`seed ${seed}: second retry after ${delays[1]} ms`);
      if (total < 24 * HOUR) violations.push(`seed ${seed}: gives up after ${total} ms`);
      delays.forEach((d, i) => {
        const base = RETRY_BASE_DELAYS_MS[i]!;
        if (d < Math.floor(base * 0.8) || d > Math.ceil(base * 1.2))
          violations.push(`seed ${seed}: retry ${i + 1} after ${d} ms, base ${base}`);
      });
    }
    expect(violations).toEqual([]);
  });

  it('holds at the extremes of the random source', () => {
    for (const r of [0, 0.999999999, 1, -5, 7]) {
      const delays = fullSchedule(() => r);
      expect(delays[0]).toBeLessThanOrEqual(10_000);
      expect(delays[1]).toBeLessThanOrEqual(60_000);
      expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * HOUR);
    }
  });

  it('backs off: each base delay is at least the one before', () => {
    for (let i = 1; i < RETRY_BASE_DELAYS_MS.length; i++)
      expect(RETRY_BASE_DELAYS_MS[i]!).toBeGreaterThanOrEqual(RETRY_BASE_DELAYS_MS[i - 1]!);
  });

  it('jitters: different seeds give different delays', () => {
    const firsts = new Set(Array.from({ length: 50 }, (_, s) => retrySchedule(1, seeded(s + 1))));
    expect(firsts.size).toBeGreaterThan(10);
  });

  it('gives up after the last attempt and refuses nonsense', () => {
    expect(retrySchedule(POSTBACK_MAX_ATTEMPTS, () => 0.5)).toBeNull();
    expect(retrySchedule(POSTBACK_MAX_ATTEMPTS - 1, () => 0.5)).toBe(RETRY_BASE_DELAYS_MS.at(-1));
    expect(() => retrySchedule(0, () => 0.5)).toThrow(RangeError);
    expect(() => retrySchedule(1.5, () => 0.5)).toThrow('attempt must be a whole number ≥ 1, got 1.5');
  });

  it('spreads each delay from 0.8 to 1.2 times its base as the random source goes from 0 to 1', () => {
    expect(retrySchedule(1, () => 0)).toBe(4_000);
    expect(retrySchedule(1, () => 0.25)).toBe(4_500);
    expect(retrySchedule(1, () => 0.5)).toBe(5_000);
    expect(retrySchedule(1, () => 1)).toBe(6_000);
    expect(retrySchedule(2, () => 0)).toBe(24_000);
  });
});

describe('isRetryable / deliveryOutcome', () => {
  it.each([
    [100, 'failed'],
    [199, 'failed'],
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [300, 'failed'],
    [301, 'failed'],
    [400, 'failed'],
    [401, 'failed'],
    [404, 'failed'],
    [408, 'failed'],
    [428, 'failed'],
    [429, 'retry'],
    [430, 'failed'],
    [499, 'failed'],
    [500, 'retry'],
    [503, 'retry'],
    [599, 'retry'],
    [600, 'failed'],
    ['timeout', 'retry'],
    ['network', 'retry'],
  ] as const)('%s → %s', (result, outcome) => {
    expect(deliveryOutcome(result)).toBe(outcome);
    expect(isRetryable(result)).toBe(outcome === 'retry');
  });
});
