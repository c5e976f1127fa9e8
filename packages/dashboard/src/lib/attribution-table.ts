import type { AttributionRow, GroupByField } from './api/types.ts';

export const METRIC_COLUMNS = [
  'clicks',
  'impressions',
  'installs',
  'reattributions',
  'reengagements',
  'conversion_rate',
  'revenue',
  'cost',
  'roas',
  'ecpi',
] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];
export type SortKey = GroupByField | MetricColumn;
export type SortDir = 'asc' | 'desc';

export const COLUMN_LABEL: Record<SortKey, string> = {
  media_source: 'Media source',
  campaign: 'Campaign',
  ad_set: 'Ad set',
  ad: 'Ad',
  site_id: 'Site ID',
  clicks: 'Clicks',
  impressions: 'Impressions',
  installs: 'Installs',
  reattributions: 'Re-attributions',
  reengagements: 'Re-engagements',
  conversion_rate: 'Conv. rate',
  revenue: 'Revenue',
  cost: 'Cost',
  roas: 'ROAS',
  ecpi: 'eCPI',
};

/** Rows sorted by one column; missing values (no ROAS without cost) always go last. */
export function sortRows(rows: readonly AttributionRow[], key: SortKey, dir: SortDir): AttributionRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}

/** A totals line: sums, and ratios recomputed from the sums (not averaged per row). */
export function totalsRow(rows: readonly AttributionRow[]): AttributionRow {
  const sum = (k: 'clicks' | 'impressions' | 'installs' | 'revenue' | 'cost' | 'reengagements' | 'reattributions') =>
    rows.reduce((s, r) => s + r[k], 0);
  const clicks = sum('clicks');
  const installs = sum('installs');
  const revenue = sum('revenue');
  const cost = sum('cost');
  return {
    clicks,
    impressions: sum('impressions'),
    installs,
    conversion_rate: clicks > 0 ? installs / clicks : null,
    revenue,
    cost,
    roas: cost > 0 ? revenue / cost : null,
    ecpi: installs > 0 ? cost / installs : null,
    reengagements: sum('reengagements'),
    reattributions: sum('reattributions'),
  };
}

export interface TotalsLines {
  /** every non-organic row: the ratios a campaign manager pays for */
  paid: AttributionRow;
  /** organic rows alone, or null when the table has none */
  organic: AttributionRow | null;
  /** paid and organic together, shown only under its own label */
  blended: AttributionRow | null;
}

/**
 * The table's foot: paid totals first, organic apart, and a blended line only when both exist
 * (and labelled as such), so organic installs never make eCPI look cheaper than it was.
 */
export function totalsLines(rows: readonly AttributionRow[]): TotalsLines {
  const organicRows = rows.filter((r) => r.media_source === 'organic');
  const paidRows = rows.filter((r) => r.media_source !== 'organic');
  return {
    paid: totalsRow(paidRows),
    organic: organicRows.length > 0 ? totalsRow(organicRows) : null,
    blended: organicRows.length > 0 && paidRows.length > 0 ? totalsRow(rows) : null,
  };
}

/** A dimension's display text: organic and empty values named so a reader is not left guessing. */
export function dimensionText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '(none)';
  return value;
}
