import { describe, expect, it } from 'vitest';
import { batchIntervalMs, batchPacing } from '../src/log/batch-pacing.ts';

describe('batch pacing', () => {
  const pacing = batchPacing({});

  it('waits 200 ms after a small batch and up to a second after a large one', () => {
    expect(batchIntervalMs(0, pacing)).toBe(200);
    expect(batchIntervalMs(1, pacing)).toBe(200);
    expect(batchIntervalMs(4000, pacing)).toBe(600);
    expect(batchIntervalMs(8000, pacing)).toBe(1000);
    expect(batchIntervalMs(50_000, pacing)).toBe(1000);
  });

  it('settles where the fixed cost per insert is a small share at a steady rate', () => {
    // Items gathered in one wait at a steady rate, fed back until the wait stops moving.
    const settle = (perSecond: number) => {
      let wait = 200;
      for (let i = 0; i < 200; i++) wait = batchIntervalMs((perSecond * wait) / 1000, pacing);
      return wait;
    };
    expect(settle(100)).toBe(202);
    expect(settle(5000)).toBeGreaterThanOrEqual(395);
    expect(settle(5000)).toBeLessThanOrEqual(405);
    expect(settle(10_000)).toBe(1000);
  });

  it('keeps a caller-set minimum as the maximum unless a maximum is set too', () => {
    expect(batchIntervalMs(50_000, batchPacing({ minBatchIntervalMs: 10 }))).toBe(10);
    expect(batchIntervalMs(50_000, batchPacing({ minBatchIntervalMs: 0 }))).toBe(0);
    expect(batchIntervalMs(4000, batchPacing({ minBatchIntervalMs: 100, maxBatchIntervalMs: 300 }))).toBe(200);
    // A maximum below the minimum is the minimum.
    expect(batchIntervalMs(8000, batchPacing({ minBatchIntervalMs: 300, maxBatchIntervalMs: 100 }))).toBe(300);
    expect(batchIntervalMs(8000, batchPacing({ maxBatchIntervalMs: 500 }))).toBe(500);
  });
});
