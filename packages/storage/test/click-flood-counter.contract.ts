import { clickFloodReason, defaultSettings } from '@unmogrowp/attribution';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClickFloodCounter } from '../src/index.ts';

export const T0 = Date.UTC(2026, 4, 1, 10, 0, 0);
const MINUTE = 60_000;

export interface TestClick {
  link_id: string;
  ip: string;
  touch_id: string;
  ts: number;
}

let seq = 0;
export function click(over: Partial<TestClick> = {}): TestClick {
  seq++;
  return { link_id: 'lnk_a', ip: '203.0.113.5', touch_id: `clk_${seq}`, ts: T0, ...over };
}

export function hit(counter: ClickFloodCounter, c: TestClick): Promise<number> {
  return counter.hit(c.link_id, c.ip, c.touch_id, c.ts);
}

/** One suite for every ClickFloodCounter adapter; `create` gives an empty counter. */
export function describeClickFloodCounterContract(name: string, create: () => Promise<ClickFloodCounter>): void {
  describe(`click-flood counter contract: ${name}`, () => {
    let counter: ClickFloodCounter;
    beforeEach(async () => {
      counter = await create();
    });

    it('counts distinct clicks per (link, IP) and hour: the 51st in an hour is the first flood', async () => {
      const settings = defaultSettings();
      const reasons: string[] = [];
      for (let i = 0; i < 52; i++) {
        const place = await hit(counter, click({ ts: T0 + i * MINUTE }));
        expect(place).toBe(i + 1);
        reasons.push(clickFloodReason(place, settings));
      }
      // 52 clicks a minute apart from 10:00: the first 60 minutes are one hour, so 51 and 52 flood.
      expect(reasons.indexOf('click_flood')).toBe(50);
    });

    it('counts a replayed click once, answering the place it got the first time', async () => {
      const first = click();
      expect(await hit(counter, first)).toBe(1);
      expect(await hit(counter, click())).toBe(2);
      for (let i = 0; i < 5; i++) expect(await hit(counter, { ...first })).toBe(1);
      expect(await hit(counter, click())).toBe(3);
    });

    it('counts by the hour of click time, so late and out-of-order clicks land in their own hour', async () => {
      expect(await hit(counter, click({ ts: T0 + 59 * MINUTE }))).toBe(1);
      expect(await hit(counter, click({ ts: T0 + 60 * MINUTE }))).toBe(1);
      expect(await hit(counter, click({ ts: T0 + 90 * MINUTE }))).toBe(2);
      // A click from 10:05 arriving after 11:30 still joins 10:00–11:00.
      expect(await hit(counter, click({ ts: T0 + 5 * MINUTE }))).toBe(2);
    });

    it('keeps links and IPs apart, and one IP written two ways together', async () => {
      expect(await hit(counter, click())).toBe(1);
      expect(await hit(counter, click({ link_id: 'lnk_b' }))).toBe(1);
      expect(await hit(counter, click({ ip: '203.0.113.6' }))).toBe(1);
      expect(await hit(counter, click({ ip: '::ffff:203.0.113.5' }))).toBe(2);
    });

    it('gives concurrent clicks of one pair distinct places', async () => {
      const places = await Promise.all(Array.from({ length: 40 }, () => hit(counter, click())));
      expect([...places].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });
  });
}
