import { describe, expect, it } from 'vitest';
import type { LtvGroup } from '../src/lib/api/ltv.api.ts';
import type { Frame } from '../src/lib/charts/geometry.ts';
import { chartLines, groupLabel, linePathInSlots, MAX_CHART_LINES } from '../src/lib/ltv.ts';

const group = (media_source: string, campaign: string | null, installs: number, ltv: (number | null)[]): LtvGroup => ({
  media_source,
  campaign,
  installs,
  cost: 0,
  ltv,
  revenue_d7: null,
  cost_d7: null,
  roas_d7: null,
  revenue_d30: null,
  cost_d30: null,
  roas_d30: null,
});

describe('LTV screen helpers', () => {
  it('labels a source, a campaign and spend without a campaign', () => {
    expect(groupLabel({ media_source: 'meta', campaign: null })).toBe('meta');
    expect(groupLabel({ media_source: 'meta', campaign: 'spring' })).toBe('meta / spring');
    expect(groupLabel({ media_source: 'organic', campaign: '' })).toBe('organic / (none)');
  });

  it('draws the groups with installs, largest first, each up to its first day not ended', () => {
    const lines = chartLines([
      group('google', null, 1, [0, 3, null]),
      group('meta', null, 3, [1, 2, 4]),
      group('tiktok', null, 0, [null, null, null]),
      group('applovin', null, 1, [null, null, null]),
    ]);
    expect(lines.map((l) => [l.label, l.values])).toEqual([
      ['meta', [1, 2, 4]],
      ['applovin', []],
      ['google', [0, 3]],
    ]);
    const many = Array.from({ length: MAX_CHART_LINES + 3 }, (_, i) => group(`s${i}`, null, i + 1, [1]));
    expect(chartLines(many)).toHaveLength(MAX_CHART_LINES);
    expect(new Set(chartLines(many).map((l) => l.colour)).size).toBe(MAX_CHART_LINES);
  });

  it('places day N in slot N of the whole axis, so a short curve does not stretch to the end', () => {
    const f: Frame = { width: 110, height: 110, left: 10, right: 0, top: 10, bottom: 0 };
    // 10 slots of 10 px: centres at 15, 25, …; y 0 at the bottom (110), yMax 10 at the top (10)
    expect(linePathInSlots([0, 5], 10, 10, f)).toBe('M15.0,110.0L25.0,60.0');
  });
});
