import { describe, expect, it } from 'vitest';
import { buildSkanReport, normalizeSkanSettings, type SkanCountedGroup } from '../src/index.ts';

const settings = normalizeSkanSettings({
  currency: 'EUR',
  networks: { 'net.a': 'alpha' },
  campaigns: { alpha: { '1234': 'Spring' } },
  windows: {
    '0': {
      fine: { '10': { revenue_min: 2, revenue_max: 4, events: ['purchase'] } },
      coarse: { low: { revenue_min: 1 }, high: { revenue_max: 9 } },
    },
    '1': { coarse: { medium: { revenue_min: 3, revenue_max: 5 } } },
  },
});

const group = (over: Partial<SkanCountedGroup>): SkanCountedGroup => ({
  ad_network_id: 'net.a',
  source_identifier: '1234',
  window: 0,
  redownload: false,
  did_win: true,
  conversion_value: null,
  coarse_conversion_value: null,
  count: 1,
  ...over,
});

describe('buildSkanReport (known answer)', () => {
  // Built inside each test, so that mutation testing sees which tests run this code.
  const report = () =>
    buildSkanReport(
      [
        group({ conversion_value: 10, count: 3 }), // 3 installs, fine, 3 × 3 revenue
        group({ redownload: true, coarse_conversion_value: 'low', count: 2 }), // re-downloads, coarse, 2 × 1
        group({ did_win: false, conversion_value: 10, count: 7 }), // non-winning: counted apart, never credited
        group({ window: 1, coarse_conversion_value: 'medium', count: 4 }), // later window: revenue, no install
        group({ ad_network_id: 'net.b', source_identifier: '77', did_win: null, redownload: null, count: 5 }), // nothing revealed
        group({ ad_network_id: 'net.b', source_identifier: null, window: 2, coarse_conversion_value: 'high', count: 1 }), // no schema for window 2
      ],
      settings,
      [
        { media_source: 'alpha', campaign: 'Spring', cost: 10 },
        { media_source: 'alpha', campaign: 'Autumn', cost: 5 }, // no postbacks: stays in the attribution report
        { media_source: 'net.b', campaign: '77', cost: 2.5 },
      ],
    );

  it('counts each row: installs in the first window only, non-winning apart, privacy tiers as counts', () => {
    expect(report().currency).toBe('EUR');
    expect(report().rows).toEqual([
      {
        media_source: 'net.b',
        campaign: '77',
        window: 0,
        postbacks: 5,
        installs: 5,
        redownloads: 0,
        non_winning: 0,
        null_values: 5,
        coarse_only: 0,
        fine: 0,
        source_id_digits: { '2': 5 },
        estimated_revenue: 0,
        cost: 2.5,
        roas: 0,
      },
      {
        media_source: 'alpha',
        campaign: 'Spring',
        window: 0,
        postbacks: 12,
        installs: 3,
        redownloads: 2,
        non_winning: 7,
        null_values: 0,
        coarse_only: 2,
        fine: 3,
        source_id_digits: { '4': 5 },
        estimated_revenue: 11,
        cost: 10,
        // revenue of every window (11 + 16) against the first window's cost
        roas: 2.7,
      },
      {
        media_source: 'alpha',
        campaign: 'Spring',
        window: 1,
        postbacks: 4,
        installs: 0,
        redownloads: 0,
        non_winning: 0,
        null_values: 0,
        coarse_only: 4,
        fine: 0,
        source_id_digits: { '4': 4 },
        estimated_revenue: 16,
        cost: 0,
        roas: 0,
      },
      {
        media_source: 'net.b',
        campaign: null,
        window: 2,
        postbacks: 1,
        installs: 0,
        redownloads: 0,
        non_winning: 0,
        null_values: 0,
        coarse_only: 1,
        fine: 0,
        source_id_digits: { '0': 1 },
        estimated_revenue: 0,
        cost: 0,
        roas: 0,
      },
    ]);
  });

  it('distributes the winning postbacks by value per window, and totals them', () => {
    expect(report().distribution).toEqual([
      { window: 0, fine: { '10': 3 }, coarse: { low: 2, medium: 0, high: 0 }, none: 5 },
      { window: 1, fine: {}, coarse: { low: 0, medium: 4, high: 0 }, none: 0 },
      { window: 2, fine: {}, coarse: { low: 0, medium: 0, high: 1 }, none: 0 },
    ]);
    expect(report().totals).toEqual({ postbacks: 22, installs: 8, redownloads: 2, null_values: 5, estimated_revenue: 27 });
  });

  it('rounds money to cents, after adding it up', () => {
    const tenths = normalizeSkanSettings({ windows: { '0': { coarse: { low: { revenue_min: 0.1 } } } } });
    const r = buildSkanReport([group({ coarse_conversion_value: 'low', count: 3 })], tenths, [
      { media_source: 'net.a', campaign: '1234', cost: 0.7 },
    ]);
    expect(r.rows[0]).toMatchObject({ estimated_revenue: 0.3, cost: 0.7, roas: 0.43 });
    expect(r.totals.estimated_revenue).toBe(0.3);
  });

  it('matches a cost without a campaign to the postbacks whose campaign Apple withheld', () => {
    const r = buildSkanReport(
      [group({ ad_network_id: 'net.c', source_identifier: null, coarse_conversion_value: 'low', count: 4 })],
      settings,
      [{ media_source: 'net.c', cost: 2 }],
    );
    expect(r.rows).toEqual([
      expect.objectContaining({ media_source: 'net.c', campaign: null, installs: 4, estimated_revenue: 4, cost: 2, roas: 2 }),
    ]);
  });

  it('is empty, not absent, without postbacks', () => {
    const r = buildSkanReport([], settings, [{ media_source: 'alpha', campaign: 'Spring', cost: 10 }]);
    expect(r.rows).toEqual([]);
    expect(r.totals).toEqual({ postbacks: 0, installs: 0, redownloads: 0, null_values: 0, estimated_revenue: 0 });
    expect(r.distribution.map((d) => d.window)).toEqual([0, 1, 2]);
  });
});
