import { meaningOf, type SkanSettings } from './conversion-schema.ts';
import { campaignOf, mediaSourceOf } from './skan-networks.ts';
import type { CoarseValue } from './skan-postback.ts';

/** Identical verified postbacks, counted (what the store's GROUP BY returns). */
export interface SkanCountedGroup {
  ad_network_id: string;
  source_identifier: string | null;
  window: number;
  redownload: boolean | null;
  did_win: boolean | null;
  conversion_value: number | null;
  coarse_conversion_value: CoarseValue | null;
  count: number;
}

export interface SkanCost {
  media_source: string;
  campaign?: string;
  cost: number;
}

/**
 * One network + campaign in one postback window. Apple's privacy thresholds show as counts, not
 * gaps: `null_values` postbacks carried no conversion value at all (crowd anonymity too low),
 * `coarse_only` only low/medium/high, `fine` a 0–63 value; `source_id_digits` how many digits of
 * the source identifier Apple revealed.
 */
export interface SkanReportRow {
  media_source: string;
  campaign: string | null;
  window: number;
  postbacks: number;
  installs: number;
  redownloads: number;
  non_winning: number;
  null_values: number;
  coarse_only: number;
  fine: number;
  source_id_digits: Record<string, number>;
  estimated_revenue: number;
  cost: number;
  roas: number;
}

export interface SkanDistribution {
  window: number;
  fine: Record<string, number>;
  coarse: Record<CoarseValue, number>;
  none: number;
}

export interface SkanReport {
  currency: string;
  rows: SkanReportRow[];
  distribution: SkanDistribution[];
  totals: { postbacks: number; installs: number; redownloads: number; null_values: number; estimated_revenue: number };
}

/**
 * Builds the report. A winning postback of window 0 is one install (a re-download when Apple says
 * so); later windows add revenue but no installs. Non-winning postbacks (`did-win` false) are
 * counted apart and never credited. Cost (by media source and campaign) goes against window 0
 * rows, where the installs it bought are: ROAS = estimated revenue of all windows / cost.
 */
export function buildSkanReport(groups: readonly SkanCountedGroup[], settings: SkanSettings, costs: readonly SkanCost[]): SkanReport {
  const rows = new Map<string, SkanReportRow>();
  const dist = [0, 1, 2].map((window) => ({ window, fine: {} as Record<string, number>, coarse: { low: 0, medium: 0, high: 0 }, none: 0 }));
  const revenueBySourceCampaign = new Map<string, number>();
  for (const g of groups) {
    const media_source = mediaSourceOf(g.ad_network_id, settings.networks);
    const campaign = campaignOf(g.source_identifier, settings.campaigns[media_source]) ?? g.source_identifier;
    const key = `${media_source}\u0000${campaign ?? ''}\u0000${g.window}`;
    const row = rows.get(key) ?? emptyRow(media_source, campaign, g.window);
    rows.set(key, row);
    row.postbacks += g.count;
    if (g.did_win === false) {
      row.non_winning += g.count;
      continue;
    }
    if (g.window === 0) {
      if (g.redownload) row.redownloads += g.count;
      else row.installs += g.count;
    }
    const digits = String(g.source_identifier?.length ?? 0);
    row.source_id_digits[digits] = (row.source_id_digits[digits] ?? 0) + g.count;
    const d = dist[g.window];
    if (g.conversion_value !== null) {
      row.fine += g.count;
      if (d) d.fine[String(g.conversion_value)] = (d.fine[String(g.conversion_value)] ?? 0) + g.count;
    } else if (g.coarse_conversion_value !== null) {
      row.coarse_only += g.count;
      if (d) d.coarse[g.coarse_conversion_value] += g.count;
    } else {
      row.null_values += g.count;
      if (d) d.none += g.count;
    }
    const { revenue } = meaningOf(settings, g.window, g.conversion_value, g.coarse_conversion_value);
    if (revenue !== null) {
      row.estimated_revenue += revenue * g.count;
      const sc = `${media_source}\u0000${campaign ?? ''}`;
      revenueBySourceCampaign.set(sc, (revenueBySourceCampaign.get(sc) ?? 0) + revenue * g.count);
    }
  }
  for (const c of costs) {
    const key = `${c.media_source}\u0000${c.campaign ?? ''}\u00000`;
    const row = rows.get(key);
    if (!row) continue; // spend without SKAN postbacks stays in the attribution report
    row.cost += c.cost;
  }
  for (const row of rows.values()) {
    if (row.window !== 0 || row.cost === 0) continue;
    const revenue = revenueBySourceCampaign.get(`${row.media_source}\u0000${row.campaign ?? ''}`) ?? 0;
    row.roas = round(revenue / row.cost);
  }
  const list = [...rows.values()]
    .map((r) => ({ ...r, estimated_revenue: round(r.estimated_revenue), cost: round(r.cost) }))
    .sort((a, b) => a.window - b.window || b.installs - a.installs || a.media_source.localeCompare(b.media_source));
  const totals = { postbacks: 0, installs: 0, redownloads: 0, null_values: 0, estimated_revenue: 0 };
  for (const r of list) {
    totals.postbacks += r.postbacks;
    totals.installs += r.installs;
    totals.redownloads += r.redownloads;
    totals.null_values += r.null_values;
    totals.estimated_revenue += r.estimated_revenue;
  }
  totals.estimated_revenue = round(totals.estimated_revenue);
  return { currency: settings.currency, rows: list, distribution: dist, totals };
}

function emptyRow(media_source: string, campaign: string | null, window: number): SkanReportRow {
  return {
    media_source,
    campaign,
    window,
    postbacks: 0,
    installs: 0,
    redownloads: 0,
    non_winning: 0,
    null_values: 0,
    coarse_only: 0,
    fine: 0,
    source_id_digits: {},
    estimated_revenue: 0,
    cost: 0,
    roas: 0,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
