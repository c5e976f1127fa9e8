import type { ApiRange } from './analytics.api.ts';
import type { Requester } from './client.ts';

/** docs/skadnetwork.md: what the SKAN report and settings routes answer. */
export interface SkanRow {
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

export interface SkanReport {
  currency: string;
  rows: SkanRow[];
  distribution: { window: number; fine: Record<string, number>; coarse: { low: number; medium: number; high: number }; none: number }[];
  totals: { postbacks: number; installs: number; redownloads: number; null_values: number; estimated_revenue: number };
  unverified: Record<string, number>;
}

export interface ValueMeaning {
  revenue_min?: number;
  revenue_max?: number;
  events?: string[];
}

export interface SkanSettings {
  currency: string;
  windows: Record<string, { fine?: Record<string, ValueMeaning>; coarse?: Record<string, ValueMeaning> }>;
  networks: Record<string, string>;
  campaigns: Record<string, Record<string, string>>;
}

export function getSkanReport(api: Requester, appId: string, range: ApiRange): Promise<SkanReport> {
  return api.request('GET', `/api/analytics/${encodeURIComponent(appId)}/skan`, { query: { ...range } });
}

export async function getSkanSettings(api: Requester, appId: string): Promise<SkanSettings> {
  return (await api.request<{ settings: SkanSettings }>('GET', `/api/apps/${encodeURIComponent(appId)}/skan/settings`)).settings;
}

export async function putSkanSettings(api: Requester, appId: string, settings: SkanSettings): Promise<SkanSettings> {
  return (await api.request<{ settings: SkanSettings }>('PUT', `/api/apps/${encodeURIComponent(appId)}/skan/settings`, { body: settings }))
    .settings;
}
