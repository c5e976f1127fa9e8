import { describe, expect, it } from 'vitest';
import { averageRates, heatStyle, normalizeRetention, RETENTION_DAYS } from '../src/lib/retention.ts';

describe('normalizeRetention', () => {
  it('reads the expected shape: rates per day, null for days not reached', () => {
    const cohorts = normalizeRetention({
      cohorts: [{ cohort: '2026-11-02', installs: 10, retention: [1, 0.5, null] }],
    });
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]?.rates.slice(0, 3)).toEqual([1, 0.5, null]);
    expect(cohorts[0]?.rates).toHaveLength(RETENTION_DAYS);
  });

  it('turns retained counts into rates of the cohort size', () => {
    const [c] = normalizeRetention({ cohorts: [{ date: '2026-11-01T00:00:00Z', size: 200, retained: [200, 50, 10] }] });
    expect(c?.day).toBe('2026-11-01');
    expect(c?.rates.slice(0, 3)).toEqual([1, 0.25, 0.05]);
  });

  it('reads per-day objects and flat rows, sorted by install day', () => {
    const nested = normalizeRetention({ cohorts: [{ cohort: '2026-11-01', installs: 4, days: [{ day: 3, users: 1 }] }] });
    expect(nested[0]?.rates[3]).toBe(0.25);
    const flat = normalizeRetention({
      rows: [
        { cohort: '2026-11-02', day: 0, installs: 2, retained: 2 },
        { cohort: '2026-11-01', day: 1, installs: 4, retained: 1 },
      ],
    });
    expect(flat.map((c) => c.day)).toEqual(['2026-11-01', '2026-11-02']);
    expect(flat[0]?.rates[1]).toBe(0.25);
    expect(flat[1]?.rates[0]).toBe(1);
  });

  it('is empty for an empty or odd answer', () => {
    expect(normalizeRetention({ cohorts: [] })).toEqual([]);
    expect(normalizeRetention(null)).toEqual([]);
    expect(normalizeRetention({ cohorts: 'x' })).toEqual([]);
  });

  it('averages weighted by cohort size, skipping days a cohort has not reached', () => {
    const avg = averageRates([
      { day: 'a', size: 100, rates: [1, 0.5, 0.1, ...Array(28).fill(null)] },
      { day: 'b', size: 300, rates: [1, 0.1, null, ...Array(28).fill(null)] },
    ]);
    expect(avg[1]).toBeCloseTo((50 + 30) / 400);
    expect(avg[2]).toBeCloseTo(0.1);
    expect(avg[3]).toBeNull();
  });

  it('colours higher retention darker and keeps text readable', () => {
    const light = heatStyle(0.02);
    const dark = heatStyle(0.9);
    const lightness = (s: string) => Number(/(\d+)%\)/.exec(s)?.[1]);
    expect(lightness(dark)).toBeLessThan(lightness(light));
    expect(dark).toContain('color:#fff');
    expect(heatStyle(null)).toBe('');
  });
});
