import { clickFloodReason, defaultSettings } from '@unmogrowp/attribution';
import { describe, expect, it } from 'vitest';
import { MemoryClickFloodCounter } from '../src/index.ts';

const T0 = Date.UTC(2026, 4, 1, 10, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('memory click-flood counter', () => {
  it('counts clicks per (link, IP) in the trailing hour: the 51st in an hour is the first flood', async () => {
    const counter = new MemoryClickFloodCounter();
    const settings = defaultSettings();
    const reasons: string[] = [];
    for (let i = 0; i < 52; i++) {
      const count = await counter.hit('lnk_a', '203.0.113.5', T0 + i * MINUTE);
      expect(count).toBe(i + 1);
      reasons.push(clickFloodReason(count, settings));
    }
    expect(reasons.indexOf('click_flood')).toBe(50);
  });

  it("forgets an erased person's IPs on every link, in both generations, and nobody else's", async () => {
    const counter = new MemoryClickFloodCounter();
    counter.hitNow('lnk_a', '203.0.113.5', T0);
    counter.hitNow('lnk_b', '::ffff:203.0.113.5', T0 + HOUR + 1);
    counter.hitNow('lnk_a', '203.0.113.50', T0 + HOUR + 2);
    expect(await counter.forgetIps(['203.0.113.5'])).toBe(2);
    expect(counter.size()).toBe(1);
    expect(counter.hitNow('lnk_b', '203.0.113.5', T0 + HOUR + 3)).toBe(1);
    expect(counter.hitNow('lnk_a', '203.0.113.50', T0 + HOUR + 4)).toBe(2);
  });

  it('lets a click fall out exactly one hour later, window (ts − 1 h, ts]', () => {
    const counter = new MemoryClickFloodCounter();
    counter.hitNow('lnk_a', '1.2.3.4', T0);
    counter.hitNow('lnk_a', '1.2.3.4', T0 + 30 * MINUTE);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + HOUR - 1)).toBe(3);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + HOUR)).toBe(3);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + 2 * HOUR + 1)).toBe(1);
  });

  it('keeps links and IPs apart, and one IP written two ways together', () => {
    const counter = new MemoryClickFloodCounter();
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0)).toBe(1);
    expect(counter.hitNow('lnk_b', '1.2.3.4', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '1.2.3.5', T0)).toBe(1);
    expect(counter.hitNow('lnk_a', '::ffff:1.2.3.4', T0 + 1)).toBe(2);
  });

  it('counts a late click (past timestamp) against the hour before it', () => {
    const counter = new MemoryClickFloodCounter();
    counter.hitNow('lnk_a', '1.2.3.4', T0);
    counter.hitNow('lnk_a', '1.2.3.4', T0 + 50 * MINUTE);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + 10 * MINUTE)).toBe(2);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + 55 * MINUTE)).toBe(4);
  });

  it('switches a flooding pair to per-minute counts and still sees the flood and its end', () => {
    const counter = new MemoryClickFloodCounter({ exactUpTo: 10 });
    let count = 0;
    for (let i = 0; i < 300; i++) count = counter.hitNow('lnk_a', '1.2.3.4', T0 + i * 2000);
    expect(count).toBe(300);
    expect(counter.hitNow('lnk_a', '1.2.3.4', T0 + HOUR + 10 * MINUTE)).toBe(1);
  });

  it('remembers at most maxKeys pairs, and forgets pairs not clicked for two hours', () => {
    const counter = new MemoryClickFloodCounter({ maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) counter.hitNow('lnk_a', `10.0.${i >> 8}.${i & 255}`, T0 + i);
    expect(counter.size()).toBeLessThanOrEqual(100);
    const roomy = new MemoryClickFloodCounter();
    for (let i = 0; i < 500; i++) roomy.hitNow('lnk_a', `10.1.${i >> 8}.${i & 255}`, T0);
    roomy.hitNow('lnk_b', '1.1.1.1', T0 + HOUR);
    roomy.hitNow('lnk_b', '1.1.1.1', T0 + 2 * HOUR);
    expect(roomy.size()).toBe(1);
  });
});
