import { describe, expect, it } from 'vitest';
import { addDays, checkCustomRange, dayCount, presetRange, reviveRange, toApiRange } from '../src/lib/date-range.ts';

const NOV_29_LATE = Date.parse('2026-11-29T23:59:59.999Z');

describe('date ranges', () => {
  it('a preset of N days ends today (UTC) and includes it', () => {
    const r = presetRange('7d', NOV_29_LATE);
    expect(r).toEqual({ preset: '7d', from: '2026-11-23', to: '2026-11-29' });
    expect(dayCount(r.from, r.to)).toBe(7);
  });

  it('uses the UTC day, not the local one, right after midnight UTC', () => {
    expect(presetRange('30d', Date.parse('2026-12-01T00:00:00.000Z')).to).toBe('2026-12-01');
  });

  it("turns the inclusive end into the API's exclusive `to`", () => {
    expect(toApiRange({ from: '2026-02-27', to: '2026-02-28' })).toEqual({ from: '2026-02-27', to: '2026-03-01' });
    expect(toApiRange({ from: '2028-02-28', to: '2028-02-28' }).to).toBe('2028-02-29');
  });

  it('crosses month and year boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('explains what is wrong with a custom range', () => {
    expect(checkCustomRange('2026-11-02', '2026-11-01')).toMatch(/on or before/);
    expect(checkCustomRange('2026-02-30', '2026-03-01')).toMatch(/Pick both/);
    expect(checkCustomRange('2024-01-01', '2026-01-01')).toMatch(/at most/);
    expect(checkCustomRange('2026-11-01', '2026-11-01')).toBeNull();
  });

  it('revives a stored preset relative to today, and a valid custom range as is', () => {
    expect(reviveRange(JSON.stringify({ preset: '7d', from: '2000-01-01', to: '2000-01-07' }), NOV_29_LATE).to).toBe('2026-11-29');
    expect(reviveRange(JSON.stringify({ preset: 'custom', from: '2026-10-01', to: '2026-10-05' }), NOV_29_LATE)).toEqual({
      preset: 'custom',
      from: '2026-10-01',
      to: '2026-10-05',
    });
    expect(reviveRange('{not json', NOV_29_LATE).preset).toBe('30d');
    expect(reviveRange(JSON.stringify({ preset: 'custom', from: 'x', to: 'y' }), NOV_29_LATE).preset).toBe('30d');
  });
});
