import { describe, expect, it } from 'vitest';
import { CLICK_FLOOD_WINDOW_MS, clickFloodHour, clickFloodKey, clickFloodReason, defaultSettings } from '../src/index.ts';

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

describe('clickFloodHour', () => {
  it('is the UTC hour of the click time, so a late click counts in the hour it happened', () => {
    const h = 10 * CLICK_FLOOD_WINDOW_MS;
    expect(clickFloodHour(h)).toBe(10);
    expect(clickFloodHour(h + CLICK_FLOOD_WINDOW_MS - 1)).toBe(10);
    expect(clickFloodHour(h + CLICK_FLOOD_WINDOW_MS)).toBe(11);
  });

  it('flags exactly the clicks beyond the 50th of an hour', () => {
    const s = defaultSettings();
    const flagged = Array.from({ length: 60 }, (_, i) => i + 1).filter((rank) => clickFloodReason(rank, s) !== '');
    expect(flagged).toEqual(Array.from({ length: 10 }, (_, k) => 51 + k));
  });
});
