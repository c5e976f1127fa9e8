import { describe, expect, it } from 'vitest';
import { buildSkanReport, campaignOf, meaningOf, mediaSourceOf, normalizeSkanSettings, SkanSettingsError } from '../src/index.ts';

describe('SKAN settings and meaning', () => {
  const settings = normalizeSkanSettings({
    windows: { '0': { fine: { '5': { revenue_min: 1, revenue_max: 2 } }, coarse: { low: { revenue_min: 0.5 } } } },
    networks: { 'ABC.skadnetwork': 'mine' },
    campaigns: { mine: { '1234': 'Spring', '2234': 'Autumn', '5678': 'Winter' } },
  });

  it('maps networks (own list over the built-in one, case-insensitive) and campaigns, also by the rightmost digits Apple reveals', () => {
    expect(mediaSourceOf('abc.SKADNETWORK', settings.networks)).toBe('mine');
    expect(mediaSourceOf('cstr6suwn9.skadnetwork', settings.networks)).toBe('google');
    expect(mediaSourceOf('zzz.skadnetwork', settings.networks)).toBe('zzz.skadnetwork');
    expect(campaignOf('1234', settings.campaigns.mine)).toBe('Spring');
    expect(campaignOf('78', settings.campaigns.mine)).toBe('Winter');
    expect(campaignOf('34', settings.campaigns.mine)).toBeNull(); // Spring or Autumn: ambiguous
  });

  it('prefers a known fine value over the coarse one; a null value means nothing', () => {
    expect(meaningOf(settings, 0, 5, 'low').revenue).toBe(1.5);
    expect(meaningOf(settings, 0, 6, 'low').revenue).toBe(0.5);
    expect(meaningOf(settings, 0, null, null)).toEqual({ revenue: null, events: [] });
  });

  it('refuses fine values after the first window and values out of range, naming the field', () => {
    for (const [input, field] of [
      [{ windows: { '2': { fine: { '1': {} } } } }, 'windows.2.fine'],
      [{ windows: { '0': { fine: { '64': {} } } } }, 'windows.0.fine.64'],
      [{ windows: { '3': {} } }, 'windows.3'],
      [{ windows: { '0': { coarse: { low: { revenue_min: 5, revenue_max: 1 } } } } }, 'windows.0.coarse.low.revenue_max'],
      [{ campaigns: { x: { '12345': 'c' } } }, 'campaigns.x.12345'],
      [{ currency: 'dollars' }, 'currency'],
    ] as const) {
      expect(() => normalizeSkanSettings(input)).toThrow(SkanSettingsError);
      try {
        normalizeSkanSettings(input);
      } catch (err) {
        expect((err as SkanSettingsError).field).toBe(field);
      }
    }
  });

  it('counts installs in the first window only, non-winning apart, and ROAS against cost', () => {
    const g = (window: number, over: object = {}) => ({
      ad_network_id: 'abc.skadnetwork',
      source_identifier: '1234',
      window,
      redownload: false,
      did_win: true,
      conversion_value: null,
      coarse_conversion_value: 'low' as const,
      count: 2,
      ...over,
    });
    const r = buildSkanReport([g(0), g(0, { did_win: false, count: 7 }), g(1, { coarse_conversion_value: null })], settings, [
      { media_source: 'mine', campaign: 'Spring', cost: 4 },
    ]);
    const w0 = r.rows.find((x) => x.window === 0);
    expect(w0).toMatchObject({
      media_source: 'mine',
      campaign: 'Spring',
      installs: 2,
      non_winning: 7,
      estimated_revenue: 1,
      cost: 4,
      roas: 0.25,
    });
    expect(r.rows.find((x) => x.window === 1)).toMatchObject({ installs: 0, null_values: 2 });
    expect(r.distribution[1]?.none).toBe(2);
  });
});
