import { beforeEach, describe, expect, it } from 'vitest';
import type { DedupeIndex } from '../src/index.ts';

const DAY = 86_400_000;

/** One suite for every DedupeIndex adapter; `create` gives an empty index with a 7-day window. */
export function describeDedupeIndexContract(name: string, create: () => Promise<DedupeIndex>): void {
  describe(`dedupe index contract: ${name}`, () => {
    let index: DedupeIndex;
    // A shared store's TTLs run on its own clock: claims are made "now".
    const now = Date.now();
    beforeEach(async () => {
      index = await create();
    });

    it('claims a key once, also inside one batch, and counts what it holds', async () => {
      expect(await index.claim(['app\u0000a', 'app\u0000b', 'app\u0000a'], now)).toEqual([true, true, false]);
      expect(await index.claim(['app\u0000a', 'app\u0000c'], now + 1000)).toEqual([false, true]);
      expect(await index.claim([], now)).toEqual([]);
      expect(await index.size()).toBe(3);
    });

    it('keeps apps apart and takes any characters in an id', async () => {
      const ids = ['app_1\u0000évènement 🚀', 'app_2\u0000évènement 🚀', 'app_1\u0000*', 'app_1\u0000'];
      expect(await index.claim(ids, now)).toEqual([true, true, true, true]);
      expect(await index.claim(ids, now)).toEqual([false, false, false, false]);
    });

    it('release makes keys claimable again (a failed durable write), and only those', async () => {
      await index.claim(['k\u0000x', 'k\u0000y'], now);
      await index.release(['k\u0000x', 'k\u0000never-claimed']);
      expect(await index.claim(['k\u0000x', 'k\u0000y'], now)).toEqual([true, false]);
      expect(await index.size()).toBe(2);
    });

    it('remember warms keys at their original time, in batches', async () => {
      await index.remember(['w\u00001', 'w\u00002'], [now - 3 * DAY, now - DAY]);
      await index.remember([], []);
      expect(await index.claim(['w\u00001', 'w\u00002', 'w\u00003'], now)).toEqual([false, false, true]);
      expect(await index.size()).toBe(3);
    });

    it('answers a large batch in order', async () => {
      const keys = Array.from({ length: 2000 }, (_, i) => `big\u0000${i}`);
      const first = await index.claim(keys, now);
      expect(first.every(Boolean)).toBe(true);
      const mixed = await index.claim([...keys.slice(0, 5), 'big\u0000new'], now);
      expect(mixed).toEqual([false, false, false, false, false, true]);
    });
  });
}
