import { fraudSql, INSTALLS_PAGE_SQL, LINK_STATS_SQL, overviewSql, retentionSql, timeseriesSql } from './analytics-queries.ts';
import {
  fillTimeseries,
  timeseriesBuckets,
  toAttributionRows,
  toFraudReport,
  toInstallExportRow,
  toMissingRates,
  toOverview,
  toRetentionCohorts,
} from './analytics-shapes.ts';
import type {
  AttributionRow,
  EventOverview,
  FraudReport,
  InstallExportRow,
  LinkStats,
  MissingRate,
  RetentionCohort,
  TimeseriesPoint,
} from './analytics-types.ts';
import { attributionDimensions, attributionSql } from './attribution-query.ts';
import { toMillisParam } from './event-queries.ts';
import type {
  AttributionOptions,
  InstallsExportOptions,
  MissingRatesOptions,
  MoneyOptions,
  OverviewWithMissingRates,
  RetentionOptions,
  TimeRange,
  TimeseriesOptions,
} from './event-store.ts';
import { ltvSql } from './ltv-query.ts';
import { toLtvReport } from './ltv-shapes.ts';
import { LTV_DIMENSIONS, LTV_MAX_DAY, type LtvOptions, type LtvReport, ROAS_DAYS } from './ltv-types.ts';
import { MISSING_RATES_SQL } from './money-sql.ts';
import { monthsSpanned, rangeShape, type SplitParams, splitRange } from './time-split.ts';

/** Runs one read-only statement with `{name:Type}` parameters and answers one object per row. */
export type SelectRows = (sql: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

const DEFAULT_CHUNK_ROWS = 5000;
const MAX_CHUNK_ROWS = 100_000;
const DAY_MS = 86_400_000;
const MAX_WINDOW_MS = 64 * DAY_MS;

/**
 * The analytics half of the EventStore port, over any engine that can answer `select`: the
 * chDB adapter passes its reader session, a ClickHouse-server adapter will pass its client.
 * Every query is one statement, so each holds the reader for one turn only.
 */
export class EventAnalytics {
  constructor(
    private readonly select: SelectRows,
    private readonly clock: () => number = Date.now,
  ) {}

  async overview(appId: string, range: TimeRange, options: MoneyOptions = {}): Promise<EventOverview> {
    const params = rangeParams(appId, range);
    const [row] = await this.select(overviewSql(monthsSpanned(params), rangeShape(params)), { ...params, ccy: currencyOf(options) });
    return toOverview(row);
  }

  /** The overview and what its revenue left out for want of a rate, from one statement (one turn of the reader). */
  async overviewWithMissingRates(appId: string, range: TimeRange, options: MoneyOptions = {}): Promise<OverviewWithMissingRates> {
    const params = rangeParams(appId, range);
    const [row] = await this.select(overviewSql(monthsSpanned(params), rangeShape(params), true), { ...params, ccy: currencyOf(options) });
    const missing = row?.['missing_rates'];
    if (!Array.isArray(missing)) throw new Error('event store returned no missing_rates with the overview');
    return { overview: toOverview(row), missing_rates: toMissingRates(missing) };
  }

  async attribution(appId: string, range: TimeRange, options: AttributionOptions): Promise<AttributionRow[]> {
    const dims = attributionDimensions(options.groupBy);
    return toAttributionRows(await this.select(attributionSql(dims), { ...rangeParams(appId, range), ccy: currencyOf(options) }), dims);
  }

  async missingRates(appId: string, range: TimeRange, options: MissingRatesOptions = {}): Promise<MissingRate[]> {
    const params = { ...rangeParams(appId, range), ccy: currencyOf(options), costs: options.costs ? 1 : 0 };
    return toMissingRates(await this.select(MISSING_RATES_SQL, params));
  }

  async timeseries(appId: string, range: TimeRange, options: TimeseriesOptions): Promise<TimeseriesPoint[]> {
    const sql = timeseriesSql(options.metric, options.interval);
    const params = rangeParams(appId, range);
    // Refuses an unknown interval or an oversized range before asking the engine anything.
    const { count, size } = timeseriesBuckets(range, options.interval);
    if (count === 0) return [];
    return fillTimeseries(await this.select(sql, { ...params, bucket: size, ccy: currencyOf(options) }), range, options.interval);
  }

  async retention(appId: string, range: TimeRange, options: RetentionOptions = {}): Promise<RetentionCohort[]> {
    const bySource = options.groupBy === 'media_source';
    if (options.groupBy !== undefined && !bySource) throw new RangeError(`cannot group retention by ${String(options.groupBy)}`);
    const rows = await this.select(retentionSql(bySource), rangeParams(appId, range));
    return toRetentionCohorts(rows, bySource, options.now ?? this.clock());
  }

  /**
   * Cohort LTV and ROAS (ltv-query.ts, ltv-shapes.ts). Revenue is read up to day
   * max(days, 30) of the last cohort, since ROAS D30 needs it whatever `days` is. Money is in
   * `options.currency` (money-sql.ts); what has no rate is in the report's `missing_rates`.
   */
  async ltv(appId: string, range: TimeRange, options: LtvOptions): Promise<LtvReport> {
    const days = options.days ?? LTV_MAX_DAY;
    if (!Number.isInteger(days) || days < 0 || days > LTV_MAX_DAY)
      throw new RangeError(`days must be a whole number from 0 to ${LTV_MAX_DAY}`);
    for (const d of options.groupBy) {
      if (!(LTV_DIMENSIONS as readonly string[]).includes(d)) throw new RangeError(`cannot group LTV by ${JSON.stringify(d)}`);
    }
    const ccy = currencyOf(options);
    const params = rangeParams(appId, range);
    const last = Math.max(days, ...ROAS_DAYS);
    const lastCohortDay = Math.floor((params.to - 1) / DAY_MS);
    const until = (lastCohortDay + last + 1) * DAY_MS;
    const byCampaign = options.groupBy.includes('campaign');
    if (!(params.from < params.to)) return { cohorts: [], groups: [], missing_rates: [] };
    const sql = ltvSql(byCampaign ? ['media_source', 'campaign'] : ['media_source']);
    const rows = await this.select(sql, { ...params, until, last, ccy });
    return toLtvReport(rows, { byCampaign, days, now: options.now ?? this.clock(), range: { from: params.from, to: params.to } });
  }

  /**
   * Keyset pages: each chunk is its own short query, so a slow consumer (an HTTP download)
   * holds no engine session between chunks and other queries run in between. Pages also walk a
   * time window (a day, doubled while windows come back sparse), so each reads only its days
   * instead of everything left in the range.
   */
  async *installs(appId: string, range: TimeRange, options: InstallsExportOptions = {}): AsyncIterable<InstallExportRow[]> {
    const limit = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHUNK_ROWS) {
      throw new RangeError(`chunkRows must be a whole number from 1 to ${MAX_CHUNK_ROWS}`);
    }
    const base = rangeParams(appId, range);
    let afterMs = base.from - 1;
    let afterId = '';
    let window = DAY_MS;
    let windowEnd = Math.min(base.to, Math.floor(base.from / DAY_MS) * DAY_MS + window);
    // Windows end pages early; chunks are still `limit` rows, all but the last.
    const pending: InstallExportRow[] = [];
    while (base.from < base.to) {
      const rows = await this.select(INSTALLS_PAGE_SQL, { ...base, after_ms: afterMs, after_id: afterId, before_ms: windowEnd, limit });
      if (rows.length > 0) {
        const last = rows[rows.length - 1] as Record<string, unknown>;
        afterMs = Number(last['installed_ms']);
        afterId = String(last['install_id']);
        pending.push(...rows.map(toInstallExportRow));
        while (pending.length >= limit) yield pending.splice(0, limit);
      }
      if (rows.length === limit) continue;
      if (windowEnd >= base.to) break;
      if (rows.length < limit / 4) window = Math.min(window * 2, MAX_WINDOW_MS);
      windowEnd = Math.min(base.to, windowEnd + window);
    }
    if (pending.length > 0) yield pending;
  }

  async linkStats(appId: string, range: TimeRange): Promise<LinkStats[]> {
    const rows = await this.select(LINK_STATS_SQL, rangeParams(appId, range));
    return rows.map((r) => {
      const clicks = Number(r['clicks']);
      const installs = Number(r['installs']);
      return {
        link_id: String(r['link_id']),
        clicks,
        impressions: Number(r['impressions']),
        installs,
        conversion_rate: clicks > 0 ? installs / clicks : null,
      };
    });
  }

  async fraud(appId: string, range: TimeRange): Promise<FraudReport> {
    const params = rangeParams(appId, range);
    return toFraudReport(await this.select(fraudSql(rangeShape(params)), params));
  }
}

const CURRENCY = /^[A-Z]{3}$/;

/** The reporting currency asked for (default USD); a malformed code is a RangeError, never SQL. */
function currencyOf(options: MoneyOptions): string {
  const code = options.currency ?? 'USD';
  if (!CURRENCY.test(code)) throw new RangeError(`currency must be an ISO-4217 code like USD, not ${JSON.stringify(code)}`);
  return code;
}

function rangeParams(appId: string, range: TimeRange): { app: string } & SplitParams {
  return { app: appId, ...splitRange(toMillisParam(range.from, 'from'), toMillisParam(range.to, 'to')) };
}
