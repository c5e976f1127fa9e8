import { describe, expect, it } from 'vitest';
import {
  analyticsRange,
  MAX_TIMESERIES_POINTS,
  parseExportFormat,
  parseGroupBy,
  parseInterval,
  parseMetric,
  parseRetentionGroupBy,
} from '../../src/api/analytics/analytics-query.ts';
import { csvCell, csvLine } from '../../src/api/analytics/csv-cells.ts';
import { AppError } from '../../src/http/app-error.ts';

const DAY = 86_400_000;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('analytics query parameters', () => {
  it('group_by: known dimensions in canonical order, media_source always first', () => {
    expect(parseGroupBy(undefined)).toEqual(['media_source']);
    expect(parseGroupBy('campaign')).toEqual(['media_source', 'campaign']);
    expect(parseGroupBy(' site_id , campaign,campaign,')).toEqual(['media_source', 'campaign', 'site_id']);
    const err = refusal(() => parseGroupBy('media_source,Campaign'));
    expect([err.status, err.code, err.details?.value]).toEqual([400, 'invalid_group_by', 'Campaign']);
  });

  it('metric is required and whitelisted; interval defaults to day', () => {
    expect(parseMetric('active_users')).toBe('active_users');
    expect(refusal(() => parseMetric(undefined)).code).toBe('missing_parameter');
    expect(refusal(() => parseMetric('installs;drop')).code).toBe('invalid_metric');
    const week = { from: 0, to: 7 * DAY };
    expect(parseInterval(undefined, week)).toBe('day');
    expect(parseInterval('hour', week)).toBe('hour');
    expect(refusal(() => parseInterval('minute', week)).code).toBe('invalid_interval');
  });

  it('refuses a series with more points than the ceiling, counting the bucket that holds `from`', () => {
    const hours = MAX_TIMESERIES_POINTS;
    const exact = { from: 0, to: hours * 3_600_000 };
    expect(parseInterval('hour', exact)).toBe('hour');
    expect(refusal(() => parseInterval('hour', { from: 1, to: exact.to + 1 })).code).toBe('range_too_large');
  });

  it('retention groups by media_source or not at all; export formats', () => {
    expect(parseRetentionGroupBy(undefined)).toBeUndefined();
    expect(parseRetentionGroupBy('media_source')).toBe('media_source');
    expect(refusal(() => parseRetentionGroupBy('campaign')).code).toBe('invalid_group_by');
    expect(parseExportFormat(undefined)).toBe('json');
    expect(parseExportFormat('csv')).toBe('csv');
    expect(refusal(() => parseExportFormat('CSV')).code).toBe('invalid_format');
  });

  it('ranges: last 30 days by default, dates at UTC midnight, inside what the store holds', () => {
    const now = Date.UTC(2026, 5, 10, 15);
    expect(analyticsRange({}, now)).toEqual({ from: now - 30 * DAY, to: now });
    expect(analyticsRange({ from: '2026-06-01', to: '2026-06-02' }, now)).toEqual({ from: Date.UTC(2026, 5, 1), to: Date.UTC(2026, 5, 2) });
    expect(refusal(() => analyticsRange({ from: '1969-12-31' }, now)).code).toBe('invalid_time');
    expect(refusal(() => analyticsRange({ to: '2100-01-02' }, now)).code).toBe('invalid_time');
  });
});

describe('CSV cells', () => {
  it('quotes what RFC 4180 needs quoted, and nothing else', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, false, null])).toBe('a,1,false,\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(csvCell('=a"b')).toBe(`"'=a""b"`);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('a=b')).toBe('a=b');
  });
});
