import { describe, expect, it } from 'vitest';
import { CLICK_FLOOD_WINDOW_MS, clickFloodKey, clickFloodReason, countInTrailingHour, defaultSettings } from '../src/index.ts';

describe('clickFloodReason', () => {
  const s = defaultSettings();
  it.each([
    [1, ''],
    [50, ''],
    [51, 'click_flood'],
    [500, 'click_flood'],
  ])('click number %i in the hour → %j', (count, reason) => {
    expect(clickFloodReason(count, s)).toBe(reason);
  });

  it('follows the per-app maximum', () => {
    const strict = defaultSettings();
    strict.fraud.click_flood_max_per_hour = 3;
    expect(clickFloodReason(3, strict)).toBe('');
    expect(clickFloodReason(4, strict)).toBe('click_flood');
  });

  it('can be switched off', () => {
    const off = defaultSettings();
    off.fraud.click_flood_enabled = false;
    expect(clickFloodReason(10_000, off)).toBe('');
  });
});

describe('clickFloodKey', () => {
  it('is per link and per canonical IP', () => {
    expect(clickFloodKey('l1', '::ffff:1.2.3.4')).toBe(clickFloodKey('l1', '1.2.3.4'));
    expect(clickFloodKey('l1', '2001:DB8::1')).toBe(clickFloodKey('l1', '2001:db8:0::1'));
    expect(clickFloodKey('l1', '1.2.3.4')).not.toBe(clickFloodKey('l2', '1.2.3.4'));
    expect(clickFloodKey('l1', '1.2.3.4')).not.toBe(clickFloodKey('l1', '1.2.3.5'));
  });
});

describe('countInTrailingHour', () => {
  const now = 10 * CLICK_FLOOD_WINDOW_MS;
  it('counts earlier clicks inside (now − 1 h, now] plus this one', () => {
    const earlier = [now - CLICK_FLOOD_WINDOW_MS - 1, now - CLICK_FLOOD_WINDOW_MS, now - CLICK_FLOOD_WINDOW_MS + 1, now - 1000, now];
    expect(countInTrailingHour(earlier, now)).toEqual({ count: 4, firstInWindow: 2 });
  });

  it('is 1 for the first click', () => {
    expect(countInTrailingHour([], now)).toEqual({ count: 1, firstInWindow: 0 });
  });

  it('agrees with a plain filter on random histories', () => {
    let seed = 3;
    const rnd = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 200; i++) {
      const times = Array.from({ length: Math.floor(rnd() * 80) }, () => now - Math.floor(rnd() * 2 * CLICK_FLOOD_WINDOW_MS)).sort(
        (a, b) => a - b,
      );
      const expected = times.filter((t) => t > now - CLICK_FLOOD_WINDOW_MS && t <= now).length + 1;
      expect(countInTrailingHour(times, now).count).toBe(expected);
    }
  });

  it('flags exactly the clicks beyond the 50th of a burst', () => {
    const s = defaultSettings();
    const seen: number[] = [];
    const flagged: number[] = [];
    for (let i = 0; i < 60; i++) {
      const ts = now + i * 1000;
      if (clickFloodReason(countInTrailingHour(seen, ts).count, s) !== '') flagged.push(i);
      seen.push(ts);
    }
    expect(flagged).toEqual(Array.from({ length: 10 }, (_, k) => 50 + k));
  });
});
