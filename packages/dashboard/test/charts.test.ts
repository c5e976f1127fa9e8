import { describe, expect, it } from 'vitest';
import { barsFor, type Frame, labelIndexes, linePath, niceTicks, yOf } from '../src/lib/charts/geometry.ts';
import { fillSeries, seriesTotal } from '../src/lib/charts/series.ts';

const frame: Frame = { width: 440, height: 220, left: 40, right: 0, top: 20, bottom: 0 };

describe('fillSeries', () => {
  it('has one bucket per day of [from, to) and zeros where the API sent nothing', () => {
    const buckets = fillSeries(
      [
        { t: '2026-11-02T00:00:00.000Z', value: 5 },
        { t: '2026-11-04T00:00:00.000Z', value: 2 },
      ],
      { from: '2026-11-01', to: '2026-11-05' },
      'day',
    );
    expect(buckets.map((b) => b.value)).toEqual([0, 5, 0, 2]);
    expect(new Date(buckets[0]!.t).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('drops points outside the range and puts a point at 23:59 into its own day', () => {
    const buckets = fillSeries(
      [
        { t: '2026-11-01T23:59:59.999Z', value: 1 },
        { t: '2026-11-03T00:00:00.000Z', value: 9 },
      ],
      { from: '2026-11-01', to: '2026-11-03' },
      'day',
    );
    expect(buckets.map((b) => b.value)).toEqual([1, 0]);
    expect(seriesTotal(buckets)).toBe(1);
  });

  it('makes 24 hourly buckets for one day', () => {
    const buckets = fillSeries([{ t: '2026-11-01T13:30:00Z', value: 3 }], { from: '2026-11-01', to: '2026-11-02' }, 'hour');
    expect(buckets).toHaveLength(24);
    expect(buckets[13]?.value).toBe(3);
  });

  it('leaves out hours that have not happened and marks the one under way as partial', () => {
    const now = Date.parse('2026-11-01T13:20:00Z');
    const buckets = fillSeries([{ t: '2026-11-01T13:10:00Z', value: 3 }], { from: '2026-11-01', to: '2026-11-02' }, 'hour', now);
    expect(buckets).toHaveLength(14); // 00:00 … 13:00, no zeros for 14:00 … 23:00
    expect(buckets.at(-1)).toEqual({ t: Date.parse('2026-11-01T13:00:00Z'), value: 3, partial: true });
    expect(buckets.filter((b) => b.partial)).toHaveLength(1);
    const days = fillSeries([], { from: '2026-10-30', to: '2026-11-05' }, 'day', now);
    expect(days.map((b) => [new Date(b.t).toISOString().slice(0, 10), b.partial ?? false])).toEqual([
      ['2026-10-30', false],
      ['2026-10-31', false],
      ['2026-11-01', true],
    ]);
  });
});

describe('chart geometry', () => {
  it('ticks are round and reach the maximum', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    const t = niceTicks(1234);
    expect(t.at(-1)).toBeGreaterThanOrEqual(1234);
  });

  it('maps 0 to the bottom and the top value to the top', () => {
    expect(yOf(0, 10, frame)).toBe(220);
    expect(yOf(10, 10, frame)).toBe(20);
  });

  it('bars are as tall as their value and stay inside their slots', () => {
    const bars = barsFor([0, 5, 10], 10, frame);
    expect(bars.map((b) => b.height)).toEqual([0, 100, 200]);
    for (const [i, b] of bars.entries()) {
      expect(b.x).toBeGreaterThanOrEqual(40 + i * 133.3);
      expect(b.x + b.width).toBeLessThanOrEqual(40 + (i + 1) * 133.34);
    }
  });

  it('draws a line through the slot centres', () => {
    expect(linePath([0, 10], 10, frame)).toBe('M140.0,220.0L340.0,20.0');
  });

  it('thins the x labels so they do not overlap', () => {
    const slot = 400 / 90;
    const shown = labelIndexes(90, frame, 64);
    expect(shown[0]).toBe(0);
    for (let i = 1; i < shown.length; i++) expect((shown[i]! - shown[i - 1]!) * slot).toBeGreaterThanOrEqual(64);
    expect(shown.length).toBeGreaterThan(3);
    expect(labelIndexes(3, frame, 64)).toEqual([0, 1, 2]);
  });
});
