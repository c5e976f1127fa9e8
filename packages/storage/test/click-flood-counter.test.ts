import { clickFloodReason, defaultSettings } from '@unmogrowp/attribution';
import { describe, expect, it } from 'vitest';
import { MemoryClickFloodCounter } from '../src/index.ts';

const T0 = Date.UTC(2026, 4, 1, 10, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('memory click-flood counter', () => {
  it('counts clicks per (link, IP) in the click-time hour: the 51st in an hour is the first flood', async () => {
    const counter = new MemoryClickFloodCounter();
    const settings = defaultSettings();
    const reasons: string[] = [];
    for (let i = 0; i < 52; i++) {
      const count = await counter.hit('lnk_a', '203.0.113.5', `c${i}`, T0 + i * 1000);
      expect(count).toBe(i + 1);
      reasons.push(clickFloodReason(count, settings));
    }
    expect(reasons.indexOf('click_flood')).toBe(50);
  });

  it('counts each click id once: a replayed click gets its first rank again and counts nothing', () => {
    const counter = new MemoryClickFloodCounter();
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'c1', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'c2', T0 + 1)).toBe(2);
    for (let i = 0; i < 100; i++) expect(counter.hitNow('lnk_a', '1.2.3.4', 'c1', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'c3', T0 + 2)).toBe(3);
  });

  it('counts a late S2S click in the hour it happened, not the hour it arrived', () => {
    const counter = new MemoryClickFloodCounter();
    for (let i = 0; i < 50; i++) counter.hitNow('lnk_a', '1.2.3.4', `early${i}`, T0 + i * 1000);
    // An hour later, clicks of the current hour start from 1 ...
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'now1', T0 + HOUR + 5 * MINUTE)).toBe(1);
    // ... but one more click dated in the full hour before is that hour's 51st: a flood.
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'late', T0 + 30 * MINUTE)).toBe(51);
  });

  it('keeps links and IPs apart, and one IP written two ways together', () => {
    const counter = new MemoryClickFloodCounter();
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'a', T0)).toBe(1);
    expect(counter.hitNow('lnk_b', '1.2.3.4', 'b', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '1.2.3.5', 'c', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '::ffff:1.2.3.4', 'd', T0 + 1)).toBe(2);
  });

  it('still counts a flooding pair beyond the ids it remembers', () => {
    const counter = new MemoryClickFloodCounter({ exactUpTo: 10 });
    let count = 0;
    for (let i = 0; i < 300; i++) count = counter.hitNow('lnk_a', '1.2.3.4', `c${i}`, T0 + i * 1000);
    expect(count).toBe(300);
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'c5', T0)).toBe(6);
    expect(counter.hitNow('lnk_a', '1.2.3.4', 'next', T0 + HOUR + 10 * MINUTE)).toBe(1);
  });

  it('remembers at most maxKeys counters, and forgets hours behind the kept range', () => {
    const counter = new MemoryClickFloodCounter({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) counter.hitNow('lnk_a', `10.0.${i >> 8}.${i & 255}`, `c${i}`, T0 + i * 1000);
    // Over maxKeys the older hours go; the current hour keeps what it counts (2800 pairs).
    expect(counter.size()).toBe(2800);
    const roomy = new MemoryClickFloodCounter({ keepHours: 2 });
    for (let i = 0; i < 500; i++) roomy.hitNow('lnk_a', `10.1.${i >> 8}.${i & 255}`, `c${i}`, T0);
    roomy.hitNow('lnk_b', '1.1.1.1', 'x', T0 + 2 * HOUR);
    expect(roomy.size()).toBe(501);
    roomy.hitNow('lnk_b', '1.1.1.1', 'y', T0 + 3 * HOUR);
    expect(roomy.size()).toBe(2);
  });
});
