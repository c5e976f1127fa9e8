import type { AppEvent, IdentityUpdate } from '@unmogrowp/schema';
import type {
  AttributionDimension,
  AttributionRow,
  CostRow,
  EventOverview,
  FraudReport,
  InstallExportRow,
  InstallRow,
  LinkStats,
  MissingRate,
  RetentionCohort,
  TimeseriesInterval,
  TimeseriesMetric,
  TimeseriesPoint,
  TouchRow,
} from './analytics-types.ts';
import type { StoredDeviceInstall, StoredTouch } from './attribution-state.ts';
import type { EventTable } from './clickhouse-schema.ts';
import type { RetentionCounts } from './data-minimisation.ts';
import type { FxRateFilter, FxRateKey, FxRateRow } from './fx-rate-rows.ts';
import type { LtvOptions, LtvReport } from './ltv-types.ts';
import type { EventStoreEraseCounts, PersonIdentifiers, PersonKey } from './person-erase.ts';
import type { FloodClick, ReengagementRow } from './restart-state.ts';
import type { RollupHours } from './rollup-repair.ts';
import type { ExportOptions, ExportStream, ExportTable } from './table-export.ts';

/** A time range, epoch ms, `to` exclusive (docs/api.md §4). */
export interface TimeRange {
  from: number;
  to: number;
}

export interface StoredId {
  app_id: string;
  event_id: string;
  received_at: number;
}

/** Attribution an event inherits from its device's install or re-engagement (docs/attribution-rules.md). */
export interface EventAttribution {
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  link_id: string;
}

/** An event as stored: the ingested event plus, once known, the attribution it inherits ('' otherwise). */
export type StoredEvent = AppEvent & { attribution?: EventAttribution };

/** The currency money figures are answered in (docs/api.md, "Currencies"). */
export interface MoneyOptions {
  /** ISO-4217 code of the app's reporting currency; default `USD` */
  currency?: string;
}

export interface MissingRatesOptions extends MoneyOptions {
  /** also the spend's currencies and days (the attribution report), not only revenue's */
  costs?: boolean;
}

/** The overview route's two answers, read together. */
export interface OverviewWithMissingRates {
  overview: EventOverview;
  missing_rates: MissingRate[];
}

export interface AttributionOptions extends MoneyOptions {
  /** Dimensions to group by, from ATTRIBUTION_DIMENSIONS only; `media_source` is always one. */
  groupBy: readonly AttributionDimension[];
}

export interface TimeseriesOptions extends MoneyOptions {
  metric: TimeseriesMetric;
  interval: TimeseriesInterval;
}

export interface RetentionOptions {
  groupBy?: 'media_source';
  /** Days of a cohort that have not begun by `now` are left out (default: the clock). */
  now?: number;
}

export interface CostFilter {
  /** first day, 'YYYY-MM-DD' */
  from?: string;
  /** last day, 'YYYY-MM-DD', inclusive */
  to?: string;
  media_source?: string;
  /** at most this many rows (default and maximum 5000) */
  limit?: number;
}

export type CostKey = Pick<Required<CostRow>, 'date' | 'media_source' | 'campaign'>;

export interface InstallsExportOptions {
  /** Rows per yielded chunk (default 5000). */
  chunkRows?: number;
}

export interface InsertOptions {
  /**
   * Names the insert for the engine's block deduplication instead of its content: a later insert
   * with the same token is dropped, whatever its rows. The scale-out worker passes one derived
   * from the stream positions of the batch (insert-plans.redis.ts in @unmogrowp/pipeline), so a
   * former partition holder's late insert and its successor's redo of the same records count
   * once. Without it the token is derived from the rows' bytes (a retried identical block).
   */
  dedupeToken?: string;
  /**
   * `insertEvents` only: an event's row prefix as the event log already encoded it
   * (event-row-prefix.ts), so the insert appends the attribution columns instead of encoding
   * the whole row again; undefined for an event encodes it here. Same bytes either way.
   */
  eventRowPrefix?: (event: StoredEvent) => string | undefined;
}

/**
 * The event store port (docs/architecture.md): the analytics engine's tables and queries.
 * Adapters: chDB embedded (`chdb-event-store.ts`) and a ClickHouse server over HTTP
 * (`clickhouse-event-store.ts`), one store over two transports (`transport-event-store.ts`),
 * the same SQL and the same contract suites.
 */
export interface EventStore {
  /** Creates databases/tables if missing; safe to run on every start. */
  migrate(): Promise<void>;
  /** One insert per call: pass a whole batch, never one event at a time. */
  insertEvents(events: readonly StoredEvent[], options?: InsertOptions): Promise<void>;
  insertIdentities(items: readonly IdentityUpdate[], options?: InsertOptions): Promise<void>;
  /**
   * Which of these ids are already stored (`${app_id}\u0000${id}` keys), for replaying the log
   * tail after a crash without storing anything twice. The id is the table's own: `event_id`
   * (events, identities), `click_id` (clicks, impressions), `install_id` (installs).
   */
  existingIds(table: EventTable, keys: readonly { app_id: string; event_id: string }[]): Promise<Set<string>>;
  /**
   * Every id received at or after `sinceMs` (events and identities; clicks and impressions that
   * may have been, with the latest time they could have been: event-queries.ts), in chunks, to
   * warm the dedupe index on start. Other calls go on meanwhile; a second scan waits for this one to be
   * finished or broken off; close() ends it.
   */
  recentIds(sinceMs: number): AsyncIterable<StoredId[]>;
  /** Clicks and impressions without a fraud reason since `sinceMs`, oldest first: the touchpoint index after a restart. */
  touchesSince(sinceMs: number): AsyncIterable<StoredTouch[]>;
  /** Each device's current install (its latest that is not a reinstall): the device registry after a restart. */
  currentInstalls(): AsyncIterable<StoredDeviceInstall[]>;
  /** Re-engagement decisions since `sinceMs`, per device oldest first: re-engagements after a restart. */
  reengagementsSince(sinceMs: number): AsyncIterable<ReengagementRow[]>;
  /** Every click since `sinceMs`, flood-rejected ones too, by click time: the click-flood counts after a restart. */
  floodClicksSince(sinceMs: number): AsyncIterable<FloodClick[]>;
  /** Re-engagement decisions from the attribution pipeline; one insert per call. */
  insertReengagements(rows: readonly ReengagementRow[], options?: InsertOptions): Promise<void>;
  /** Clicks, impressions and install decisions from the attribution pipeline; one insert per call. */
  insertClicks(rows: readonly TouchRow[], options?: InsertOptions): Promise<void>;
  insertImpressions(rows: readonly TouchRow[], options?: InsertOptions): Promise<void>;
  insertInstalls(rows: readonly InstallRow[], options?: InsertOptions): Promise<void>;
  /** Ad spend; a row replaces any earlier one of the same (date, media_source, campaign). */
  upsertCosts(appId: string, rows: readonly CostRow[]): Promise<void>;
  /** The spend as imported (current values), newest day first, filtered by days (inclusive) and source. */
  listCosts(appId: string, filter?: CostFilter): Promise<Required<CostRow>[]>;
  /** Removes imported spend by (date, media_source, campaign); keys not present are no-ops. */
  deleteCosts(appId: string, keys: readonly CostKey[]): Promise<void>;
  /** Exchange rates; a row replaces any earlier one of the same (date, currency, to_currency). */
  upsertFxRates(appId: string, rows: readonly FxRateRow[]): Promise<void>;
  /** The rates as imported (current values), newest day first, filtered by days (inclusive) and currencies. */
  listFxRates(appId: string, filter?: FxRateFilter): Promise<FxRateRow[]>;
  /** Removes rates by (date, currency, to_currency); keys not present are no-ops. */
  deleteFxRates(appId: string, keys: readonly FxRateKey[]): Promise<void>;
  /** Runs of days whose revenue (and spend, with `costs`) has no rate into `currency`: what converted totals leave out. */
  missingRates(appId: string, range: TimeRange, options?: MissingRatesOptions): Promise<MissingRate[]>;

  /** Revenue in `options.currency` (money-sql.ts); amounts without a rate are left out (see `missingRates`). */
  overview(appId: string, range: TimeRange, options?: MoneyOptions): Promise<EventOverview>;
  /** `overview` and `missingRates` (without spend) in one statement: what the overview route answers. */
  overviewWithMissingRates(appId: string, range: TimeRange, options?: MoneyOptions): Promise<OverviewWithMissingRates>;
  attribution(appId: string, range: TimeRange, options: AttributionOptions): Promise<AttributionRow[]>;
  /** One point per bucket from the bucket holding `from` up to `to`, gaps as 0. */
  timeseries(appId: string, range: TimeRange, options: TimeseriesOptions): Promise<TimeseriesPoint[]>;
  /** Install-day cohorts of the installs in range; their activity is read up to 30 days later. */
  retention(appId: string, range: TimeRange, options?: RetentionOptions): Promise<RetentionCohort[]>;
  /** Revenue per install by install-day cohort and day N, and ROAS D7/D30, per group (ltv-types.ts); revenue read up to day 90 later. */
  ltv(appId: string, range: TimeRange, options: LtvOptions): Promise<LtvReport>;
  /** Install rows ordered by (installed_at, install_id), in chunks; other calls go on in between. */
  installs(appId: string, range: TimeRange, options?: InstallsExportOptions): AsyncIterable<InstallExportRow[]>;
  fraud(appId: string, range: TimeRange): Promise<FraudReport>;
  /**
   * The raw-data export (table-export.ts): the app's rows of `table` in [from, to), ordered by
   * time, as the engine writes them in Parquet, CSV or NDJSON. Resolves once the first chunk is
   * there; the rest streams as it is read (`cancel()` stops the query).
   */
  exportTable(appId: string, table: ExportTable, range: TimeRange, options: ExportOptions): Promise<ExportStream>;
  /** Valid clicks, impressions and attributed installs per tracking link in range (links without any are absent). */
  linkStats(appId: string, range: TimeRange): Promise<LinkStats[]>;
  /** An erase request's person: their devices, advertising ids, user ids, winning touches, event ids (person-erase.ts). */
  findPerson(appId: string, key: PersonKey): Promise<PersonIdentifiers>;
  /** Deletes the person's rows from every table and stops the rollups counting them; rows deleted per table. */
  erasePerson(appId: string, person: PersonIdentifiers): Promise<EventStoreEraseCounts>;
  /** Retention: drops the app's rows older than `cutoffMs` from every table and rollup. */
  dropOlderThan(appId: string, cutoffMs: number): Promise<RetentionCounts>;
  /**
   * Makes the rollups of these hours agree with the raw rows again (rollup-repair.ts): after a
   * replay of records whose first attempt may have stopped between a raw insert and its
   * views' inserts. Inserts of this store wait while it runs.
   */
  repairRollups(cells: readonly RollupHours[]): Promise<void>;
  /** Cuts full IPs no rule needs any more to their /24 or /48 prefix (data-minimisation.ts). */
  minimiseIps(nowMs: number): Promise<void>;
  /** Throws when the store cannot answer (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function idKey(appId: string, eventId: string): string {
  return `${appId}\u0000${eventId}`;
}
