import type { AttributionRow } from '@unmogrowp/storage';

/** Sums and ratios of a set of attribution rows; ratios null without a denominator. */
export interface AttributionTotal {
  clicks: number;
  impressions: number;
  installs: number;
  conversion_rate: number | null;
  revenue: number;
  cost: number;
  roas: number | null;
  ecpi: number | null;
  reengagements: number;
  reattributions: number;
}

export interface AttributionTotals {
  /** every row whose media source is not `organic`: the figures a campaign manager pays for */
  paid: AttributionTotal;
  /** the `organic` rows alone (no clicks, no cost: their ratios are null) */
  organic: AttributionTotal;
  /** paid and organic together; labelled as blended wherever it is shown */
  blended: AttributionTotal;
}

const ORGANIC = 'organic';

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1e6) / 1e6;
}

function total(rows: readonly AttributionRow[]): AttributionTotal {
  const sum = (k: 'clicks' | 'impressions' | 'installs' | 'revenue' | 'cost' | 'reengagements' | 'reattributions') =>
    rows.reduce((s, r) => s + r[k], 0);
  const clicks = sum('clicks');
  const installs = sum('installs');
  const revenue = Math.round(sum('revenue') * 1e6) / 1e6;
  const cost = Math.round(sum('cost') * 1e6) / 1e6;
  return {
    clicks,
    impressions: sum('impressions'),
    installs,
    conversion_rate: ratio(installs, clicks),
    revenue,
    cost,
    roas: ratio(revenue, cost),
    ecpi: ratio(cost, installs),
    reengagements: sum('reengagements'),
    reattributions: sum('reattributions'),
  };
}

/**
 * Totals recomputed from the sums (never averaged per row). Paid ratios leave organic installs and
 * revenue out, because an organic install was not bought: mixing it in makes eCPI look cheaper and
 * ROAS better than the campaigns earned.
 */
export function attributionTotals(rows: readonly AttributionRow[]): AttributionTotals {
  return {
    paid: total(rows.filter((r) => r.media_source !== ORGANIC)),
    organic: total(rows.filter((r) => r.media_source === ORGANIC)),
    blended: total(rows),
  };
}
