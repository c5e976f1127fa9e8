import { describe, expect, it } from 'vitest';
import { MemoryDedupeIndex } from '../src/dedupe/memory-dedupe.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 10, 12);

describe('memory dedupe index', () => {
  it('claims a new key as pending; a committed key is a duplicate', async () => {
    const d = new MemoryDedupeIndex(7);
    expect(await d.claim(['a', 'b'], t0)).toEqual(['claimed', 'claimed']);
    await d.commit(['a', 'b'], t0);
    expect(await d.claim(['a', 'c'], t0 + 1000)).toEqual(['duplicate', 'claimed']);
  });

  it('answers pending, not duplicate, while the first claim has neither committed nor released', async () => {
    const d = new MemoryDedupeIndex(7);
    expect(await d.claim(['k'], t0)).toEqual(['claimed']);
    expect(await d.claim(['k'], t0)).toEqual(['pending']);
    await d.commit(['k'], t0);
    expect(await d.claim(['k'], t0)).toEqual(['duplicate']);
  });

  it('remembers a committed key for at least the whole window, and forgets it after', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.claim(['k'], t0);
    await d.commit(['k'], t0);
    expect(await d.claim(['k'], t0 + 7 * DAY)).toEqual(['duplicate']);
    // Touching day 9 drops buckets older than 7 days before it.
    await d.claim(['other'], t0 + 9 * DAY);
    expect(await d.claim(['k'], t0 + 9 * DAY)).toEqual(['claimed']);
  });

  it('release makes a pending key claimable again (a failed durable write)', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.claim(['x'], t0);
    await d.release(['x']);
    expect(await d.claim(['x'], t0)).toEqual(['claimed']);
  });

  it('remember warms keys at their original time', async () => {
    const d = new MemoryDedupeIndex(7);
    await d.remember(['old'], [t0 - 3 * DAY]);
    expect(await d.claim(['old'], t0)).toEqual(['duplicate']);
    expect(await d.size()).toBe(1);
  });
});
