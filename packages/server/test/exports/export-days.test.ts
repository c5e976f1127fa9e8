import { describe, expect, it } from 'vitest';
import { CATCH_UP_DAYS, dayRange, dueDays, expiredDays } from '../../src/exports/export-days.ts';

const at = (iso: string) => Date.parse(iso);
const LONG_AGO = at('2020-01-01T00:00:00Z');

describe('daily export days', () => {
  it('yesterday is due from 01:00 UTC, not before', () => {
    expect(dueDays(at('2026-06-02T00:59:59.999Z'), LONG_AGO).at(-1)).toBe('2026-05-31');
    expect(dueDays(at('2026-06-02T01:00:00Z'), LONG_AGO).at(-1)).toBe('2026-06-01');
    expect(dueDays(at('2026-06-02T23:59:59Z'), LONG_AGO).at(-1)).toBe('2026-06-01');
  });

  it(`catches up at most ${CATCH_UP_DAYS} days, oldest first, never before the app's first day`, () => {
    expect(dueDays(at('2026-06-10T12:00:00Z'), LONG_AGO)).toEqual([
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
      '2026-06-06',
      '2026-06-07',
      '2026-06-08',
      '2026-06-09',
    ]);
    expect(dueDays(at('2026-06-10T12:00:00Z'), at('2026-06-08T17:00:00Z'))).toEqual(['2026-06-08', '2026-06-09']);
    // An app created today has nothing due yet.
    expect(dueDays(at('2026-06-10T12:00:00Z'), at('2026-06-10T08:00:00Z'))).toEqual([]);
  });

  it('a day is [00:00, next 00:00) UTC', () => {
    expect(dayRange('2026-06-01')).toEqual({ from: at('2026-06-01T00:00:00Z'), to: at('2026-06-02T00:00:00Z') });
  });

  it('days older than retention_days go; other names are left alone', () => {
    const days = ['2026-04-30', '2026-05-01', '2026-05-02', '.partial-x', 'notes'];
    expect(expiredDays(days, at('2026-06-01T05:00:00Z'), 31)).toEqual(['2026-04-30']);
  });
});
