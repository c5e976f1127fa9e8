import { describe, expect, it } from 'vitest';
import { MemoryDedupeIndex } from '../src/dedupe/memory-dedupe.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 10, 12);

describe('memory dedupe index', () => {
  it('claims a key once, also inside one batch', async () => {
    const d = new MemoryDedupeIndex(7);
    expect(await d.claim(['a', 'b', 'a'], t0)).toEqual([true, true, false]);
    expect(await d.claim(['a', 'c'], t0 + 1000)).toEqual([false, true]);
  });

  it('remembers a key for at least the whole window, and forgets it after', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.claim(['k'], t0);
    expect(await d.claim(['k'], t0 + 7 * DAY)).toEqual([false]);
    // Touching day 9 drops buckets older than 7 days before it.
    await d.claim(['other'], t0 + 9 * DAY);
    expect(await d.claim(['k'], t0 + 9 * DAY)).toEqual([true]);
  });

  it('release makes a key claimable again (a failed durable write)', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.claim(['x'], t0);
    await d.release(['x']);
    expect(await d.claim(['x'], t0)).toEqual([true]);
  });

  it('remember warms keys at their original time', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.remember(['old'], [t0 - 3 * DAY]);
    expect(await d.claim(['old'], t0)).toEqual([false]);
    expect(await d.size()).toBe(1);
  });
});
