import { describe, expect, it } from 'vitest';
import { toAttributionRow } from '../src/lib/api/analytics.api.ts';
import { dimensionText, sortRows, totalsLines, totalsRow } from '../src/lib/attribution-table.ts';

const rows = [
  toAttributionRow({
    media_source: 'a',
    clicks: 100,
    impressions: 0,
    installs: 10,
    conversion_rate: 0.1,
    revenue: 50,
    cost: 25,
    roas: 2,
    ecpi: 2.5,
  }),
  toAttributionRow({
    media_source: 'b',
    clicks: '300',
    impressions: 1000,
    installs: 6,
    conversion_rate: 0.02,
    revenue: 0,
    cost: 0,
    roas: null,
    ecpi: null,
  }),
  toAttributionRow({
    media_source: 'organic',
    clicks: 0,
    impressions: 0,
    installs: 40,
    conversion_rate: null,
    revenue: 90,
    cost: 0,
    roas: null,
    ecpi: null,
  }),
];

describe('attribution table', () => {
  it('reads 64-bit counts sent as strings as numbers and keeps missing ratios apart from zero', () => {
    expect(rows[1]?.clicks).toBe(300);
    expect(rows[1]?.roas).toBeNull();
  });

  it('sorts by a metric either way, missing values last', () => {
    expect(sortRows(rows, 'installs', 'desc').map((r) => r.media_source)).toEqual(['organic', 'a', 'b']);
    expect(sortRows(rows, 'roas', 'asc').map((r) => r.media_source)).toEqual(['a', 'b', 'organic']);
    expect(sortRows(rows, 'media_source', 'desc').map((r) => r.media_source)).toEqual(['organic', 'b', 'a']);
  });

  it('recomputes total ratios from the sums', () => {
    const t = totalsRow(rows);
    expect([t.clicks, t.installs, t.revenue, t.cost]).toEqual([400, 56, 140, 25]);
    expect(t.conversion_rate).toBeCloseTo(56 / 400);
    expect(t.roas).toBeCloseTo(140 / 25);
    expect(t.ecpi).toBeCloseTo(25 / 56);
    expect(totalsRow([]).roas).toBeNull();
  });

  it('foot lines: paid totals without organic installs, organic apart, blended only when both exist', () => {
    const t = totalsLines(rows);
    const organic = rows.find((r) => r.media_source === 'organic');
    expect(t.paid.installs).toBe(56 - (organic?.installs ?? 0));
    expect(t.paid.ecpi).toBeCloseTo(25 / t.paid.installs);
    expect(t.organic?.installs).toBe(organic?.installs);
    expect(t.organic?.conversion_rate).toBeNull();
    expect(t.blended?.installs).toBe(56);
    const paidOnly = totalsLines(rows.filter((r) => r.media_source !== 'organic'));
    expect([paidOnly.organic, paidOnly.blended]).toEqual([null, null]);
  });

  it('names empty dimensions', () => {
    expect(dimensionText(null)).toBe('(none)');
    expect(dimensionText('fb')).toBe('fb');
  });
});
