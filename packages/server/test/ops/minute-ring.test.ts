import { describe, expect, it } from 'vitest';
import { MinuteRing } from '../../src/ops/minute-ring.ts';

describe('MinuteRing', () => {
  it('keeps per-minute requests and 5xx for the window, oldest first, and forgets older minutes', () => {
    let now = Date.UTC(2026, 11, 7, 3, 0, 30);
    const ring = new MinuteRing(3, () => now);
    ring.record(202);
    ring.record(503);
    now += 60_000;
    ring.record(200);
    let samples = ring.samples();
    expect(samples.map((s) => [s.requests, s.errors])).toEqual([
      [0, 0],
      [2, 1],
      [1, 0],
    ]);
    expect(samples[2]!.t - samples[1]!.t).toBe(60_000);
    now += 3 * 60_000; // the slots come round again: old counts must not leak into new minutes
    ring.record(500);
    samples = ring.samples();
    expect(samples.map((s) => [s.requests, s.errors])).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
    ]);
  });
});
