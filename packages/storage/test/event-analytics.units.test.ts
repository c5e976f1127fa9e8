import { describe, expect, it } from 'vitest';
import {
  fillTimeseries,
  MAX_TIMESERIES_POINTS,
  ratio,
  timeseriesBuckets,
  toFraudReport,
  toInstallExportRow,
  toRetentionCohorts,
} from '../src/events/analytics-shapes.ts';
import { attributionDimensions, attributionSql } from '../src/events/attribution-query.ts';
import { INSTALL_COLUMNS, installValues, TOUCH_COLUMNS, touchValues } from '../src/events/attribution-rows.ts';
import { CostInputError, importVersion, normalizeCosts } from '../src/events/cost-rows.ts';
import { monthsSpanned, rangeShape, splitRange } from '../src/events/time-split.ts';
import { install } from './event-analytics.fixtures.ts';
import { at } from './event-store.fixtures.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = at('2024-03-01T00:00:00Z');

describe('splitRange', () => {
  it('nests whole days inside whole hours inside the range', () => {
    expect(splitRange(T0 - 1, T0 + 2 * D + H + 5)).toEqual({
      from: T0 - 1,
      to: T0 + 2 * D + H + 5,
      hfrom: T0,
      hto: T0 + 2 * D + H,
      dfrom: T0,
      dto: T0 + 2 * D,
    });
    expect(splitRange(T0 + 5, T0 + D + 3 * H)).toMatchObject({ hfrom: T0 + H, hto: T0 + D + 3 * H, dfrom: T0 + H, dto: T0 + H });
  });

  it('leaves everything to the raw rows when no whole hour fits, and the hours when no whole day fits', () => {
    expect(splitRange(T0 + 1, T0 + H)).toEqual({ from: T0 + 1, to: T0 + H, hfrom: T0 + 1, hto: T0 + 1, dfrom: T0 + 1, dto: T0 + 1 });
    expect(splitRange(T0 + 2 * H, T0 + 2 * H)).toMatchObject({ hfrom: T0 + 2 * H, hto: T0 + 2 * H });
    expect(splitRange(T0 + H, T0)).toMatchObject({ hfrom: T0 + H, hto: T0 + H });
    expect(splitRange(T0 + 3 * H, T0 + 9 * H)).toMatchObject({ hfrom: T0 + 3 * H, hto: T0 + 9 * H, dfrom: T0 + 3 * H, dto: T0 + 3 * H });
  });

  it('knows a range within one or two adjacent calendar months, inside the rollup window (answered with a count)', () => {
    const spans = (from: number, to: number) => monthsSpanned(splitRange(from, to));
    expect(spans(T0, at('2024-04-01T00:00:00Z'))).toBe(1);
    expect(spans(T0 + 5, T0 + D + 3)).toBe(1);
    expect(spans(at('2024-02-20T01:02:03Z'), at('2024-03-20T04:05:06Z'))).toBe(2);
    expect(spans(at('2023-12-31T23:00:00Z'), at('2024-01-01T01:00:00Z'))).toBe(2);
    expect(spans(T0, at('2024-05-01T00:00:00Z'))).toBe(2); // the last ms is in April: two months
    expect(spans(T0, at('2024-05-01T00:00:00.001Z'))).toBe(null);
    expect(spans(at('2024-01-31T00:00:00Z'), at('2024-03-01T00:00:01Z'))).toBe(null);
    expect(spans(T0, T0)).toBe(null);
    expect(spans(at('1969-12-31T00:00:00Z'), at('1970-01-02T00:00:00Z'))).toBe(null);
    expect(spans(at('2099-12-31T00:00:00Z'), at('2100-01-02T00:00:00Z'))).toBe(null);
  });

  it('says which parts a range needs: raw edges for a partial hour, hour tests for a partial day', () => {
    const shape = (from: number, to: number) => rangeShape(splitRange(from, to));
    expect(shape(T0, T0 + 3 * D)).toEqual({ rawEdges: false, partialDays: false });
    expect(shape(T0 + H, T0 + 3 * D)).toEqual({ rawEdges: false, partialDays: true });
    expect(shape(T0, T0 + 3 * D + H)).toEqual({ rawEdges: false, partialDays: true });
    expect(shape(T0 - 1, T0 + 3 * D)).toEqual({ rawEdges: true, partialDays: true });
    expect(shape(T0, T0 + 3 * D + 1)).toEqual({ rawEdges: true, partialDays: true });
    // Hours but no whole day, and less than an hour: the day bits cannot tell.
    expect(shape(T0 + 3 * H, T0 + 9 * H)).toEqual({ rawEdges: false, partialDays: true });
    expect(shape(T0 + 1, T0 + H)).toEqual({ rawEdges: true, partialDays: true });
    // Outside the rollup window everything is raw rows.
    expect(shape(at('2100-01-01T00:00:00Z'), at('2100-01-03T00:00:00Z'))).toEqual({ rawEdges: true, partialDays: true });
  });

  it('keeps the rollup spans inside 1970 … 2100', () => {
    const s = splitRange(at('1960-01-01T00:00:00Z'), at('2200-01-01T00:00:00Z'));
    expect([s.hfrom, s.hto, s.dfrom, s.dto]).toEqual([0, at('2100-01-01T00:00:00Z'), 0, at('2100-01-01T00:00:00Z')]);
  });
});

describe('attribution dimensions and SQL', () => {
  it('always groups by media_source first, then the others in their fixed order', () => {
    expect(attributionDimensions([])).toEqual(['media_source']);
    expect(attributionDimensions(['site_id', 'campaign'])).toEqual(['media_source', 'campaign', 'site_id']);
  });

  it('refuses anything outside the list, so nothing from a request reaches the SQL text', () => {
    expect(() => attributionDimensions(['campaign', 'x) OR 1=1 --'])).toThrow(RangeError);
    expect(() => attributionDimensions(['Campaign'])).toThrow(/cannot group by/);
    const sql = attributionSql(attributionDimensions(['campaign', 'ad']));
    expect(sql).toContain('GROUP BY k0, k1, k2');
    expect(sql).not.toContain('k3');
    expect(() => attributionSql(['campaign'])).toThrow(RangeError);
  });
});

describe('timeseries buckets', () => {
  it('starts at the bucket holding `from`, fills gaps with 0, stops before `to`', () => {
    const range = { from: T0 + 30 * 60_000, to: T0 + 3 * H };
    const rows = [{ bucket_ms: String(T0 + H), value: '7' }];
    expect(fillTimeseries(rows, range, 'hour')).toEqual([
      { t: '2024-03-01T00:00:00.000Z', value: 0 },
      { t: '2024-03-01T01:00:00.000Z', value: 7 },
      { t: '2024-03-01T02:00:00.000Z', value: 0 },
    ]);
    expect(timeseriesBuckets({ from: T0, to: T0 + D + 1 }, 'day')).toEqual({ first: T0, count: 2, size: D });
    expect(fillTimeseries([], { from: T0, to: T0 }, 'day')).toEqual([]);
  });

  it('refuses more points than a chart can hold, and unknown intervals', () => {
    expect(() => timeseriesBuckets({ from: 0, to: (MAX_TIMESERIES_POINTS + 1) * H }, 'hour')).toThrow(RangeError);
    expect(timeseriesBuckets({ from: 0, to: MAX_TIMESERIES_POINTS * H }, 'hour').count).toBe(MAX_TIMESERIES_POINTS);
    expect(() => timeseriesBuckets({ from: 0, to: H }, 'week' as 'day')).toThrow(RangeError);
  });
});

describe('result shapes', () => {
  it('divides safely to 6 decimals', () => {
    expect(ratio(1, 3)).toBe(0.333333);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(0, 4)).toBe(0);
  });

  it('lists a cohort day only once it has begun, up to day 30; the day under way is null', () => {
    const rows = [
      { cohort: '2024-03-02', source: '', n: -1, devices: '4' },
      { cohort: '2024-03-02', source: '', n: 1, devices: '2' },
      { cohort: '2024-03-01', source: '', n: -1, devices: '1' },
      { cohort: '2024-03-01', source: '', n: 0, devices: '1' },
    ];
    const cohorts = toRetentionCohorts(rows, false, at('2024-03-03T00:00:00Z'));
    expect(cohorts).toEqual([
      { cohort: '2024-03-01', installs: 1, days: [1, 0, null], rates: [1, 0, null] },
      { cohort: '2024-03-02', installs: 4, days: [0, null], rates: [0, null] },
    ]);
    expect(toRetentionCohorts(rows, true, at('2025-01-01T00:00:00Z'))[0]?.days).toEqual([1, ...Array(30).fill(0)]);
    expect(toRetentionCohorts(rows, true, at('2024-03-01T23:59:59.999Z'))[0]).toMatchObject({ media_source: '', days: [null] });
    expect(toRetentionCohorts(rows, false, at('2024-03-02T00:00:00Z'))[0]).toMatchObject({ days: [1, null], rates: [1, null] });
    const empty = toRetentionCohorts([{ cohort: '2024-03-01', source: '', n: -1, devices: 0 }], false, at('2024-03-03T00:00:00Z'));
    expect(empty[0]?.rates).toEqual([null, null, null]);
  });

  it('sums fraud by kind and reason, and by source', () => {
    const report = toFraudReport([
      { kind: 'click', source: 'b', reason: 'click_flood', n: '3' },
      { kind: 'click', source: 'a', reason: 'click_flood', n: '2' },
      { kind: 'install', source: 'a', reason: 'blocked_ip', n: '1' },
      { kind: 'install', source: 'a', reason: 'click_flood', n: '1' },
    ]);
    expect(report.clicks_by_reason).toEqual([{ reason: 'click_flood', count: 5 }]);
    expect(report.installs_by_reason).toEqual([
      { reason: 'blocked_ip', count: 1 },
      { reason: 'click_flood', count: 1 },
    ]);
    expect(report.by_media_source).toEqual([
      { media_source: 'a', reason: 'blocked_ip', installs: 1, clicks: 0, impressions: 0 },
      { media_source: 'a', reason: 'click_flood', installs: 1, clicks: 2, impressions: 0 },
      { media_source: 'b', reason: 'click_flood', installs: 0, clicks: 3, impressions: 0 },
    ]);
    expect([report.rejected_clicks, report.rejected_installs, report.rejected_impressions]).toEqual([5, 2, 0]);
    expect(() => toFraudReport([{ kind: 'view', source: 'a', reason: 'r', n: 1 }])).toThrow(/unknown fraud kind/);
  });

  it('reads an export row with nulls kept and times as ISO with ms', () => {
    const row = toInstallExportRow({
      install_id: 'i',
      device_id: 'd',
      advertising_id: '',
      installed_ms: '1709251199999',
      status: 'organic',
      match_type: 'none',
      source: 'organic',
      campaign: '',
      ad_set: '',
      ad: '',
      site_id: '',
      link_id: '',
      click_id: '',
      network_click_id: '',
      touch_ms: null,
      ctit_seconds: null,
      fraud_reason: '',
      is_reattribution: false,
    });
    expect(row).toMatchObject({ installed_at: '2024-02-29T23:59:59.999Z', touch_at: null, ctit_seconds: null, media_source: 'organic' });
  });
});

describe('attribution rows', () => {
  it('puts touch values under their columns with defaults for what is absent', () => {
    const values = touchValues({
      app_id: 'A',
      click_id: 'C',
      link_id: 'L',
      ts: 1.6,
      media_source: 'm',
      params: { x: 1 },
      is_retargeting: true,
    });
    const row = Object.fromEntries(TOUCH_COLUMNS.map((c, i) => [c, values[i]]));
    expect(row).toMatchObject({ app_id: 'A', ts: 2, campaign: '', sub5: '', is_retargeting: true, params: '{"x":1}', fraud_reason: '' });
    expect(values).toHaveLength(TOUCH_COLUMNS.length);
  });

  it('puts install values under their columns; decided_at defaults to installed_at; odd CTIT becomes null', () => {
    const i = install('A', 'I', 'D', '2024-03-01T10:00:00Z', { ctit_seconds: 1e12, touch_at: Number.NaN });
    const row = Object.fromEntries(INSTALL_COLUMNS.map((c, n) => [c, installValues(i)[n]]));
    expect(row).toMatchObject({
      install_id: 'I',
      event_id: '',
      decided_at: at('2024-03-01T10:00:00Z'),
      ctit_seconds: null,
      touch_at: null,
    });
    expect(installValues({ ...i, ctit_seconds: 12.4 })[INSTALL_COLUMNS.indexOf('ctit_seconds')]).toBe(12);
  });
});

describe('cost rows', () => {
  const ok = { date: '2024-03-01', media_source: 'meta', campaign: 'c', cost: 10, currency: 'USD' };

  it('keeps the last row of a (date, source, campaign) and defaults campaign to ""', () => {
    const rows = normalizeCosts([ok, { ...ok, cost: 11 }, { ...ok, campaign: undefined, cost: 1 }]);
    expect(rows).toEqual([
      { ...ok, cost: 11 },
      { ...ok, campaign: '', cost: 1 },
    ]);
  });

  it('refuses impossible days, negative or non-finite costs, empty sources, naming the row', () => {
    for (const bad of [
      { date: '2024-02-30' },
      { date: '24-03-01' },
      { cost: -1 },
      { cost: Number.NaN },
      { media_source: '' },
      { currency: 1 },
    ]) {
      expect(() => normalizeCosts([ok, { ...ok, ...bad } as typeof ok])).toThrow(CostInputError);
    }
    expect(() => normalizeCosts([ok, { ...ok, date: '2024-13-01' }])).toThrow(/cost row 1/);
  });

  it('versions imports so a later one always wins, even within a millisecond', () => {
    const a = importVersion(1000);
    const b = importVersion(1000);
    expect(b).toBeGreaterThan(a);
  });
});
