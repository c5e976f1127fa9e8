import { describe, expect, it } from 'vitest';
import { MemoryDecisionFeed } from '../src/attribution/decision-feed.ts';

describe('MemoryDecisionFeed', () => {
  it('wakes every waiter of the decided device at once, and only them', async () => {
    const feed = new MemoryDecisionFeed();
    const started = Date.now();
    const a = feed.waitFor('app', 'dev-1', 5_000);
    const b = feed.waitFor('app', 'dev-1', 5_000);
    const other = feed.waitFor('app', 'dev-2', 100);
    const otherApp = feed.waitFor('app-2', 'dev-1', 100);
    feed.publish([{ app_id: 'app', device_id: 'dev-1' }]);
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await Promise.all([other, otherApp])).toEqual([false, false]);
    expect(feed.waiting()).toBe(0);
  });

  it('answers false after the timeout or on abort, and forgets the waiter', async () => {
    const feed = new MemoryDecisionFeed();
    const stop = new AbortController();
    const aborted = feed.waitFor('app', 'dev', 5_000, stop.signal);
    expect(feed.waiting()).toBe(1);
    stop.abort();
    expect(await aborted).toBe(false);
    expect(await feed.waitFor('app', 'dev', 0)).toBe(false);
    const started = Date.now();
    expect(await feed.waitFor('app', 'dev', 50)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(feed.waiting()).toBe(0);
    feed.publish([{ app_id: 'app', device_id: 'dev' }]);
  });
});
