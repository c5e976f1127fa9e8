import type {
  AttributionDimension,
  AttributionRow,
  EventOverview,
  FraudReport,
  InstallExportRow,
  InstallMatchType,
  InstallRowStatus,
  MissingRate,
  ReasonCount,
  RetentionCohort,
  TimeseriesInterval,
  TimeseriesPoint,
} from './analytics-types.ts';
import { toNumber } from './event-queries.ts';
import type { TimeRange } from './event-store.ts';

/** Query result rows → the API's shapes. Pure: no engine, no clock (`now` is passed in). */

type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;
const BUCKET_MS: Record<TimeseriesInterval, number> = { day: DAY_MS, hour: 3_600_000 };
/** More points than any chart can show; a larger request is a mistake (e.g. hours over years). */
export const MAX_TIMESERIES_POINTS = 20_000;
export const RETENTION_DAYS = 31;

/**
 * a / b to 6 decimals; null when b is 0 (conversion rate without clicks, ROAS without cost, eCPI
 * without installs): an undefined ratio is not zero, and a reader must not take it for one.
 */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1e6) / 1e6;
}

export function toOverview(row: Row | undefined): EventOverview {
  if (!row) throw new Error('event store returned no overview row');
  const n = (k: keyof EventOverview) => toNumber(row[k], k);
  return {
    total_events: n('total_events'),
    active_users: n('active_users'),
    total_revenue: n('total_revenue'),
    installs: n('installs'),
    organic_installs: n('organic_installs'),
    non_organic_installs: n('non_organic_installs'),
    rejected_installs: n('rejected_installs'),
    reinstalls: n('reinstalls'),
    clicks: n('clicks'),
    impressions: n('impressions'),
    reengagements: n('reengagements'),
    reattributions: n('reattributions'),
  };
}

const DAY_TEXT_MS = 86_400_000;

/** `{currency, day_text}` rows (ordered by currency, day) → runs of consecutive days per currency. */
export function toMissingRates(rows: readonly Row[]): MissingRate[] {
  const out: MissingRate[] = [];
  let last: { rate: MissingRate; ms: number } | undefined;
  for (const row of rows) {
    const currency = String(row['currency']);
    const day = String(row['day_text']);
    const ms = Date.parse(`${day}T00:00:00Z`);
    if (last && last.rate.currency === currency && ms - last.ms === DAY_TEXT_MS) {
      last.rate.to = day;
      last.ms = ms;
      continue;
    }
    const rate = { currency, from: day, to: day };
    out.push(rate);
    last = { rate, ms };
  }
  return out;
}

export function toAttributionRows(rows: readonly Row[], dims: readonly AttributionDimension[]): AttributionRow[] {
  return rows.map((row) => {
    const keys: Partial<Record<AttributionDimension, string>> = {};
    dims.forEach((d, i) => {
      keys[d] = String(row[`k${i}`] ?? '');
    });
    const clicks = toNumber(row['clicks'], 'clicks');
    const installs = toNumber(row['installs'], 'installs');
    const revenue = toNumber(row['revenue'], 'revenue');
    const cost = toNumber(row['cost'], 'cost');
    return {
      media_source: keys.media_source ?? '',
      ...keys,
      clicks,
      impressions: toNumber(row['impressions'], 'impressions'),
      installs,
      conversion_rate: ratio(installs, clicks),
      revenue,
      cost,
      roas: ratio(revenue, cost),
      ecpi: ratio(cost, installs),
      reengagements: toNumber(row['reengagements'], 'reengagements'),
      reattributions: toNumber(row['reattributions'], 'reattributions'),
    };
  });
}

/** First bucket start (the one holding `from`) and how many buckets reach `to`; UTC has no DST, so epoch-aligned. */
export function timeseriesBuckets(range: TimeRange, interval: TimeseriesInterval): { first: number; count: number; size: number } {
  const size = BUCKET_MS[interval];
  if (!size) throw new RangeError(`unknown interval ${String(interval)}`);
  if (!(range.from < range.to)) return { first: 0, count: 0, size };
  const first = Math.floor(range.from / size) * size;
  const count = Math.ceil((range.to - first) / size);
  if (count > MAX_TIMESERIES_POINTS) {
    throw new RangeError(`a ${interval} timeseries over this range has ${count} points; at most ${MAX_TIMESERIES_POINTS}`);
  }
  return { first, count, size };
}

/** Every bucket of the range, in order, with the rows' values and 0 elsewhere. */
export function fillTimeseries(rows: readonly Row[], range: TimeRange, interval: TimeseriesInterval): TimeseriesPoint[] {
  const { first, count, size } = timeseriesBuckets(range, interval);
  const values = new Map<number, number>();
  for (const row of rows) values.set(toNumber(row['bucket_ms'], 'bucket_ms'), toNumber(row['value'], 'value'));
  const points: TimeseriesPoint[] = [];
  for (let i = 0; i < count; i++) {
    const t = first + i * size;
    points.push({ t: new Date(t).toISOString(), value: values.get(t) ?? 0 });
  }
  return points;
}

/**
 * Cohorts ordered by day then source. Day N is listed once it has begun (cohort + N days ≤
 * now), up to day 30, so a cohort of yesterday has days 0 and 1 and no invented zeros. A day
 * that has begun but not ended (the current UTC day) is still listed, with `null` count and rate:
 * its users are still arriving, so its figure is not a result yet.
 */
export function toRetentionCohorts(rows: readonly Row[], bySource: boolean, now: number): RetentionCohort[] {
  const cohorts = new Map<string, { cohort: string; source: string; installs: number; retained: Map<number, number> }>();
  for (const row of rows) {
    const cohort = String(row['cohort']);
    const source = String(row['source'] ?? '');
    const key = `${cohort}\u0000${source}`;
    let c = cohorts.get(key);
    if (!c) {
      c = { cohort, source, installs: 0, retained: new Map() };
      cohorts.set(key, c);
    }
    const n = toNumber(row['n'], 'n');
    const devices = toNumber(row['devices'], 'devices');
    if (n < 0) c.installs = devices;
    else c.retained.set(n, devices);
  }
  const out: RetentionCohort[] = [];
  for (const c of [...cohorts.values()].sort((a, b) => (a.cohort + a.source < b.cohort + b.source ? -1 : 1))) {
    const begun = Math.floor((now - Date.parse(`${c.cohort}T00:00:00Z`)) / DAY_MS) + 1;
    const length = Math.max(0, Math.min(RETENTION_DAYS, begun));
    const complete = Math.max(0, begun - 1);
    const days = Array.from({ length }, (_, n) => (n < complete ? (c.retained.get(n) ?? 0) : null));
    out.push({
      cohort: c.cohort,
      ...(bySource ? { media_source: c.source } : {}),
      installs: c.installs,
      days,
      rates: days.map((d) => (d === null ? null : ratio(d, c.installs))),
    });
  }
  return out;
}

function byReason(counts: Map<string, number>): ReasonCount[] {
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

export function toFraudReport(rows: readonly Row[]): FraudReport {
  const totals = { install: new Map<string, number>(), click: new Map<string, number>(), impression: new Map<string, number>() };
  const bySource = new Map<string, FraudReport['by_media_source'][number]>();
  for (const row of rows) {
    const kind = String(row['kind']) as keyof typeof totals;
    const reason = String(row['reason']);
    const source = String(row['source']);
    const n = toNumber(row['n'], 'n');
    const total = totals[kind];
    if (!total) throw new Error(`event store returned an unknown fraud kind ${kind}`);
    total.set(reason, (total.get(reason) ?? 0) + n);
    const key = `${source}\u0000${reason}`;
    const entry = bySource.get(key) ?? { media_source: source, reason, installs: 0, clicks: 0, impressions: 0 };
    if (kind === 'install') entry.installs += n;
    else if (kind === 'click') entry.clicks += n;
    else entry.impressions += n;
    bySource.set(key, entry);
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    rejected_installs: sum(totals.install),
    rejected_clicks: sum(totals.click),
    rejected_impressions: sum(totals.impression),
    installs_by_reason: byReason(totals.install),
    clicks_by_reason: byReason(totals.click),
    impressions_by_reason: byReason(totals.impression),
    by_media_source: [...bySource.values()].sort((a, b) =>
      a.media_source === b.media_source ? (a.reason < b.reason ? -1 : 1) : a.media_source < b.media_source ? -1 : 1,
    ),
  };
}

function isoOrNull(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : new Date(toNumber(value, what)).toISOString();
}

export function toInstallExportRow(row: Row): InstallExportRow {
  const ctit = row['ctit_seconds'];
  return {
    install_id: String(row['install_id']),
    device_id: String(row['device_id']),
    advertising_id: String(row['advertising_id']),
    installed_at: new Date(toNumber(row['installed_ms'], 'installed_ms')).toISOString(),
    status: String(row['status']) as InstallRowStatus,
    match_type: String(row['match_type']) as InstallMatchType,
    media_source: String(row['source']),
    campaign: String(row['campaign']),
    ad_set: String(row['ad_set']),
    ad: String(row['ad']),
    site_id: String(row['site_id']),
    link_id: String(row['link_id']),
    click_id: String(row['click_id']),
    network_click_id: String(row['network_click_id']),
    touch_at: isoOrNull(row['touch_ms'], 'touch_ms'),
    ctit_seconds: ctit === null || ctit === undefined ? null : toNumber(ctit, 'ctit_seconds'),
    fraud_reason: String(row['fraud_reason']),
    is_reattribution: row['is_reattribution'] === true,
  };
}
