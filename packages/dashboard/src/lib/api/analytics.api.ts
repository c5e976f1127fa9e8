import { listOf, num, numOrNull } from './answers.ts';
import type { Requester } from './client.ts';
import type { components } from './openapi.d.ts';
import type { AttributionRow, GroupByField, Interval, MissingRate, MoneyContext, Overview, TimePoint, TimeseriesMetric } from './types.ts';
import { GROUP_BY_FIELDS } from './types.ts';

/** docs/api.md: `from`/`to` are UTC dates or timestamps, `to` exclusive. */
export interface ApiRange {
  from: string;
  to: string;
}

const analyticsPath = (appId: string, route: string) => `/api/analytics/${encodeURIComponent(appId)}/${route}`;

export const OVERVIEW_FIELDS = [
  'installs',
  'non_organic_installs',
  'organic_installs',
  'reinstalls',
  'rejected_installs',
  'clicks',
  'impressions',
  'active_users',
  'total_events',
  'total_revenue',
  'reengagements',
  'reattributions',
] as const satisfies readonly (keyof Overview)[];
export type OverviewField = (typeof OVERVIEW_FIELDS)[number];

/** The currency and the days without a rate an answer names (an older server named none: no currency shown). */
export function moneyOf(answer: unknown): MoneyContext {
  const a = (answer ?? {}) as Record<string, unknown>;
  const missing: MissingRate[] = listOf<Record<string, unknown>>(a, 'missing_rates').map((m) => ({
    currency: String(m['currency']),
    from: String(m['from']),
    to: String(m['to']),
  }));
  return { currency: typeof a['currency'] === 'string' ? a['currency'] : '', missing_rates: missing };
}

export async function getOverview(api: Requester, appId: string, range: ApiRange): Promise<Overview> {
  const answer = await api.request<Record<string, unknown>>('GET', analyticsPath(appId, 'overview'), { query: { ...range } });
  const out = { ...moneyOf(answer) } as Overview;
  for (const field of OVERVIEW_FIELDS) out[field] = num(answer?.[field]);
  return out;
}

export function toAttributionRow(raw: Record<string, unknown>): AttributionRow {
  const row: AttributionRow = {
    clicks: num(raw['clicks']),
    impressions: num(raw['impressions']),
    installs: num(raw['installs']),
    conversion_rate: numOrNull(raw['conversion_rate']),
    revenue: num(raw['revenue']),
    cost: num(raw['cost']),
    roas: numOrNull(raw['roas']),
    ecpi: numOrNull(raw['ecpi']),
    reengagements: num(raw['reengagements']),
    reattributions: num(raw['reattributions']),
  };
  for (const field of GROUP_BY_FIELDS) {
    const value = raw[field];
    if (value !== undefined) row[field] = value === null ? null : String(value);
  }
  return row;
}

export interface AttributionAnswer extends MoneyContext {
  rows: AttributionRow[];
}

export async function getAttribution(api: Requester, appId: string, range: ApiRange, groupBy: GroupByField[]): Promise<AttributionAnswer> {
  const answer = await api.request('GET', analyticsPath(appId, 'attribution'), { query: { ...range, group_by: groupBy.join(',') } });
  return { ...moneyOf(answer), rows: listOf<Record<string, unknown>>(answer, 'rows').map(toAttributionRow) };
}

export async function getTimeseries(
  api: Requester,
  appId: string,
  range: ApiRange,
  metric: TimeseriesMetric,
  interval: Interval,
): Promise<TimePoint[]> {
  return (await getSeries(api, appId, range, metric, interval)).points;
}

/** A series with the money context of its answer (for `revenue`: its currency and the days without a rate). */
export async function getSeries(
  api: Requester,
  appId: string,
  range: ApiRange,
  metric: TimeseriesMetric,
  interval: Interval,
): Promise<MoneyContext & { points: TimePoint[] }> {
  const answer = await api.request('GET', analyticsPath(appId, 'timeseries'), { query: { ...range, metric, interval } });
  const points = listOf<Record<string, unknown>>(answer, 'points').map((p) => ({ t: String(p['t']), value: num(p['value']) }));
  return { ...moneyOf(answer), points };
}

/** Raw answers: their shapes are not fixed by docs/api.md, so `retention.ts` and `fraud.ts` normalize them. */
export function getRetentionRaw(api: Requester, appId: string, range: ApiRange): Promise<unknown> {
  return api.request('GET', analyticsPath(appId, 'retention'), { query: { ...range } });
}

export function getFraudRaw(api: Requester, appId: string, range: ApiRange): Promise<unknown> {
  return api.request('GET', analyticsPath(appId, 'fraud'), { query: { ...range } });
}

/** The raw installs export as a CSV blob (the browser needs the bearer token, so no plain link). */
export function exportInstallsCsv(api: Requester, appId: string, range: ApiRange): Promise<Blob> {
  return api.request<Blob>('GET', analyticsPath(appId, 'installs'), { query: { ...range, format: 'csv' }, read: 'blob' });
}

export const EXPORT_TABLES = ['events', 'installs', 'clicks', 'impressions'] as const;
export const EXPORT_FORMATS = ['parquet', 'csv', 'ndjson'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One table's raw rows (`GET /api/analytics/:app_id/export`) as a blob, for a download. */
export function exportTable(api: Requester, appId: string, range: ApiRange, table: ExportTable, format: ExportFormat): Promise<Blob> {
  return api.request<Blob>('GET', analyticsPath(appId, 'export'), { query: { ...range, table, format }, read: 'blob' });
}

/** One tracking link's traffic in the range (`GET /api/analytics/:app_id/links`); conversion is null without clicks. */
export type LinkStats = components['schemas']['LinkStats'];

export async function getLinkStats(api: Requester, appId: string, range: ApiRange): Promise<Map<string, LinkStats>> {
  const answer = await api.request('GET', analyticsPath(appId, 'links'), { query: { ...range } });
  const byLink = new Map<string, LinkStats>();
  for (const raw of listOf<Record<string, unknown>>(answer, 'links')) {
    const id = String(raw['link_id']);
    byLink.set(id, {
      link_id: id,
      clicks: num(raw['clicks']),
      impressions: num(raw['impressions']),
      installs: num(raw['installs']),
      conversion_rate: numOrNull(raw['conversion_rate']),
    });
  }
  return byLink;
}
