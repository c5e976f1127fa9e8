import { widenDedupeWindow } from './dedupe-window.ts';
import {
  DEVICE_HOURS,
  DEVICE_MONTHS,
  DEVICE_MONTHS_COLUMNS,
  FRAUD_HOURLY,
  REVENUE_HOURLY,
  TRAFFIC_HOURLY,
  TRAFFIC_HOURLY_COLUMNS,
} from './rollup-tables.ts';

/**
 * Rollups: small tables kept by materialized views, so the analytics routes read thousands of
 * pre-summed rows instead of millions of events (measured in bench/queries, see the README).
 * They never change an answer: queries read the rollups for the whole hours inside the range
 * and the raw tables for the partial hours at its edges (time-split.ts), and every rollup
 * column is a sum or a set that adds up exactly.
 *
 * - `traffic_hourly` (SummingMergeTree): per app, hour and attribution key (media_source with
 *   organic spelled 'organic', campaign, ad_set, ad, site_id): events, revenue, counted clicks
 *   and impressions, installs by status.
 * - `revenue_hourly` (SummingMergeTree): the same key plus the revenue's `currency`: revenue
 *   kept per currency, so it is converted to an app's reporting currency when asked (with the
 *   rates of fx_rates, money-sql.ts), never summed across currencies. (`traffic_hourly.revenue`
 *   sums every currency together and is no longer read.)
 * - `device_hours` (ReplacingMergeTree): which devices were active per app and hour, as a
 *   64-bit SipHash of `device_id`. Read with FINAL there is one row per device and hour, so
 *   active users of an hour are a count() of its rows.
 * - `device_months` (AggregatingMergeTree): one row per app, month and device with 31-bit
 *   masks of the UTC days of that month it was active on: `days` (any event) and `engaged`
 *   (an `open` or `event`, for retention). A month of a million devices is a million rows,
 *   against several rows per device per month for device-days: measured 2× faster for
 *   active users over a range and for retention, and a whole calendar month is a count().
 *   Two more columns are stamped at write time so the queries need no join and no hash set:
 *   `prev_days`, the device's `days` of the month before (each event also writes its bit
 *   into next month's row), so a range over two calendar months counts each device once
 *   as count() of rows (analytics-queries.ts); and `installs`, the device's new installs
 *   as (installed_at ms, source) written into the rows of every month the 31 retention days
 *   after each install touch, so retention reads its cohorts from the same rows as activity.
 *   A row written only by these stamps has `days = 0`: every active-users query requires a
 *   day bit, so such rows count nowhere else. `hours` (and `prev_hours`, stamped the same way
 *   into next month's row) is the set of hours of the month the device was active in, as
 *   (day − 1) · 24 + hour: a range that starts or ends inside a day reads the device's hours
 *   of that day from its own row instead of looking its key up in a set of the devices
 *   active there (a few hours per device and month: measured in docs/benchmarks.md). All
 *   columns merge by OR or set union, so the order events and installs arrive in never
 *   changes a row.
 * - `fraud_hourly` (SummingMergeTree): per app and hour, the fraud report's rows: rejected
 *   installs, and clicks and impressions with a `fraud_reason`, counted by kind ('install',
 *   'click', 'impression'), media source (as stored, like the report) and reason, in `flagged`. The raw
 *   tables are sorted by hour first, so a flagged touch is no longer found by its sort key:
 *   without this the report reads every granule of its range.
 * Distinct devices are counted exactly over these keys; two devices of one app colliding on
 * 64 bits is a ~10⁻⁶ chance at ten million devices (uniqExact over strings hashes too).
 *
 * Rollups are partitioned by year, not month: they are small, and a batch holding a device
 * clock's far-away months then writes a part per year instead of per month to each rollup.
 *
 * Only times inside ROLLUP_WINDOW are rolled up (hours outside it do not fit `DateTime`); a
 * range reaching outside is answered from the raw tables there.
 */

export const ROLLUP_WINDOW = { from: Date.UTC(1970, 0, 1), to: Date.UTC(2100, 0, 1) } as const;
const IN_WINDOW = (col: string) =>
  `${col} >= toDateTime64('1970-01-01 00:00:00', 3, 'UTC') AND ${col} < toDateTime64('2100-01-01 00:00:00', 3, 'UTC')`;

/** Install statuses that are new installs: what `installs` counts everywhere. */
export const NEW_INSTALL = `status IN ('attributed', 'organic')`;

/** Media source of an install row, organic spelled one way. */
export const INSTALL_SOURCE = `if(status = 'organic' OR media_source = '', 'organic', media_source)`;

/**
 * Currency of an event's revenue. Ingest stamps USD on revenue sent without a currency
 * (@unmogrowp/schema DEFAULT_CURRENCY); a row stored without one (older rows, direct inserts)
 * is read the same way.
 */
export const EVENT_CURRENCY = `if(currency = '', 'USD', toString(currency))`;

/** SipHash64 of a device id: the key `device_hours` stores and raw edges compute the same way. */
export const DEVICE_KEY = 'sipHash64(device_id)';

/** Bit (day of month − 1) of `ts`. */
const DAY_BIT = 'bitShiftLeft(toUInt32(1), toDayOfMonth(ts) - 1)';

/** Hour of the month of `ts`, (day of month − 1) · 24 + hour: 0…743, what `hours` holds (time-split.ts hourOfMonth). */
const HOUR_OF_MONTH = 'toUInt16((toDayOfMonth(ts) - 1) * 24 + toHour(ts))';

/**
 * Rows of one source table, keyed like traffic_hourly; `src` is the source's media_source,
 * normalized. The inner SELECT names only the columns it needs (`inputs` for the measures):
 * a view runs on every insert, and `*` would carry every column of the batch through it.
 */
function trafficSource(
  view: string,
  table: string,
  time: string,
  src: string,
  measures: Record<string, string>,
  options: { inputs?: string; where?: string } = {},
): RollupSource {
  const names = Object.keys(measures);
  const inputs = options.inputs ? `, ${options.inputs}` : '';
  const selectWhere = (filter: string | null) => `
SELECT app_id, hour, src AS media_source, campaign, ad_set, ad, site_id, ${names.map((n) => `${measures[n]} AS ${n}`).join(', ')}
FROM (
  SELECT app_id, toStartOfHour(${time}) AS hour, ${src} AS src, campaign, ad_set, ad, site_id${inputs}
  FROM ${table} WHERE ${IN_WINDOW(time)} AND ${options.where ?? 'true'}${andFilter(filter)}
)
GROUP BY app_id, hour, src, campaign, ad_set, ad, site_id`;
  return {
    view,
    table,
    time,
    columns: ['app_id', 'hour', 'media_source', 'campaign', 'ad_set', 'ad', 'site_id', ...names].join(', '),
    select: selectWhere(null),
    selectWhere,
  };
}

/** Rows of one source table for fraud_hourly: those of `kind` that the fraud report counts (`flagged`). */
function fraudSource(view: string, table: string, time: string, kind: string, flagged: string): RollupSource {
  return {
    view,
    table,
    time,
    columns: 'app_id, hour, kind, media_source, reason, flagged',
    ...selecting(
      (filter) => `
SELECT app_id, toStartOfHour(${time}) AS hour, '${kind}' AS kind, media_source, fraud_reason AS reason, count() AS flagged
FROM ${table} WHERE ${IN_WINDOW(time)} AND ${flagged}${andFilter(filter)}
GROUP BY app_id, hour, media_source, reason`,
    ),
  };
}

/** ` AND (filter)`, or nothing: the views' own text stays as it was created. */
const andFilter = (filter: string | null) => (filter === null ? '' : ` AND (${filter})`);

export interface RollupSource {
  /** the materialized view's name */
  view: string;
  /** the raw table the view reads, and that table's time column */
  table: string;
  time: string;
  /** the columns `select` fills, in its order (a backfill INSERT matches by position) */
  columns: string;
  /** the rows it adds for the rows inserted into its source (also run once over old rows) */
  select: string;
  /** `select` over only the raw rows matching `filter` (SQL on the raw table): a repair refills part of a rollup with it */
  selectWhere(filter: string | null): string;
}

export interface Rollup {
  table: string;
  ddl: string;
  /**
   * Its time column, named for what one value covers: `hour` (a DateTime starting an hour) or
   * `month` (the Date of a calendar month's 1st). Retention drops an app's rows by it (data-minimisation.ts).
   */
  bucket: 'hour' | 'month';
  /** Its rows are sums (SummingMergeTree): feeding a raw row twice counts it twice, so a repair deletes before it refills. */
  sums?: boolean;
  /** ALTERs that bring an older table of this rollup to `ddl`'s columns (idempotent). */
  alter?: readonly string[];
  /** Views of earlier releases that fed this rollup under another name: dropped when it is rebuilt. */
  retired?: readonly string[];
  sources: readonly RollupSource[];
}

/** `select` and `selectWhere` of a source written as one function of its raw-row filter. */
function selecting(selectWhere: (filter: string | null) => string): Pick<RollupSource, 'select' | 'selectWhere'> {
  return { select: selectWhere(null), selectWhere };
}

export const ROLLUPS: readonly Rollup[] = [
  {
    table: 'traffic_hourly',
    ddl: TRAFFIC_HOURLY,
    bucket: 'hour',
    sums: true,
    alter: TRAFFIC_HOURLY_COLUMNS,
    retired: ['traffic_hourly_installs_mv'],
    sources: [
      trafficSource(
        'traffic_hourly_events_mv',
        'events',
        'ts',
        `if(media_source = '', 'organic', media_source)`,
        { events: 'count()', revenue: 'sum(revenue)' },
        { inputs: 'revenue' },
      ),
      trafficSource('traffic_hourly_clicks_mv', 'clicks', 'ts', 'media_source', { clicks: 'count()' }, { where: `fraud_reason = ''` }),
      trafficSource(
        'traffic_hourly_impressions_mv',
        'impressions',
        'ts',
        'media_source',
        { impressions: 'count()' },
        { where: `fraud_reason = ''` },
      ),
      // Named anew when `reattributions` came, so migrate refills the table (`retired`).
      trafficSource(
        'traffic_hourly_installs_reattributions_mv',
        'installs',
        'installed_at',
        INSTALL_SOURCE,
        {
          attributed: `countIf(status = 'attributed')`,
          organic: `countIf(status = 'organic')`,
          rejected: `countIf(status = 'rejected')`,
          reinstalls: `countIf(status = 'reinstall')`,
          reattributions: `countIf(status = 'attributed' AND is_reattribution)`,
        },
        { inputs: 'status, is_reattribution' },
      ),
    ],
  },
  {
    table: 'revenue_hourly',
    ddl: REVENUE_HOURLY,
    bucket: 'hour',
    sums: true,
    sources: [
      {
        view: 'revenue_hourly_events_mv',
        table: 'events',
        time: 'ts',
        columns: 'app_id, hour, media_source, campaign, ad_set, ad, site_id, currency, revenue',
        ...selecting(
          (filter) => `
SELECT app_id, hour, src AS media_source, campaign, ad_set, ad, site_id, cur AS currency, sum(revenue) AS revenue
FROM (
  SELECT app_id, toStartOfHour(ts) AS hour, if(media_source = '', 'organic', media_source) AS src, campaign, ad_set, ad, site_id,
    ${EVENT_CURRENCY} AS cur, revenue
  FROM events WHERE ${IN_WINDOW('ts')} AND revenue != 0${andFilter(filter)}
)
GROUP BY app_id, hour, src, campaign, ad_set, ad, site_id, cur`,
        ),
      },
    ],
  },
  {
    table: 'device_hours',
    ddl: DEVICE_HOURS,
    bucket: 'hour',
    sources: [
      {
        view: 'device_hours_events_mv',
        table: 'events',
        time: 'ts',
        columns: 'app_id, hour, device_key',
        ...selecting(
          (filter) => `
SELECT app_id, toStartOfHour(ts) AS hour, ${DEVICE_KEY} AS device_key
FROM events WHERE ${IN_WINDOW('ts')}${andFilter(filter)}
GROUP BY app_id, hour, device_key`,
        ),
      },
    ],
  },
  {
    table: 'device_months',
    ddl: DEVICE_MONTHS,
    bucket: 'month',
    alter: DEVICE_MONTHS_COLUMNS,
    retired: ['device_months_events_mv'],
    sources: [
      {
        // Each event sets its day bit and hour in its month's row (`days`, `engaged`, `hours`) and in next month's
        // (`prev_days`, `prev_hours`). Named anew when `hours` came, so migrate refills the table (`retired`).
        view: 'device_months_hours_mv',
        table: 'events',
        time: 'ts',
        columns: 'app_id, month, device_key, days, engaged, prev_days, hours, prev_hours',
        ...selecting(
          (filter) => `
SELECT app_id, month, device_key,
  groupBitOrIf(bit, this) AS days, groupBitOrIf(bit, this AND engaging) AS engaged, groupBitOrIf(bit, NOT this) AS prev_days,
  groupUniqArrayIf(hour, this) AS hours, groupUniqArrayIf(hour, NOT this) AS prev_hours
FROM (
  SELECT app_id, ${DEVICE_KEY} AS device_key, toStartOfMonth(ts) AS own, arrayJoin([own, addMonths(own, 1)]) AS month,
    month = own AS this, ${DAY_BIT} AS bit, type IN ('open', 'event') AS engaging, ${HOUR_OF_MONTH} AS hour
  FROM events WHERE ${IN_WINDOW('ts')}${andFilter(filter)}
)
GROUP BY app_id, month, device_key`,
        ),
      },
      {
        // A new install, into the rows of the months its day 0…30 fall in (at most three; day + 15 finds the middle one).
        view: 'device_months_installs_mv',
        table: 'installs',
        time: 'installed_at',
        columns: 'app_id, month, device_key, days, engaged, prev_days, installs',
        ...selecting(
          (filter) => `
SELECT app_id, month, device_key, toUInt32(0) AS days, toUInt32(0) AS engaged, toUInt32(0) AS prev_days,
  groupUniqArray((at_ms, source)) AS installs
FROM (
  SELECT app_id, ${DEVICE_KEY} AS device_key, toUnixTimestamp64Milli(installed_at) AS at_ms,
    ${INSTALL_SOURCE} AS source, toDate(installed_at) AS day,
    arrayJoin(arrayDistinct([toStartOfMonth(day), toStartOfMonth(day + 15), toStartOfMonth(day + 30)])) AS month
  FROM installs WHERE ${IN_WINDOW('installed_at')} AND ${NEW_INSTALL}${andFilter(filter)}
)
GROUP BY app_id, month, device_key`,
        ),
      },
    ],
  },
  {
    table: 'fraud_hourly',
    ddl: FRAUD_HOURLY,
    bucket: 'hour',
    sums: true,
    sources: [
      fraudSource('fraud_hourly_installs_mv', 'installs', 'installed_at', 'install', `status = 'rejected'`),
      fraudSource('fraud_hourly_clicks_mv', 'clicks', 'ts', 'click', `fraud_reason != ''`),
      fraudSource('fraud_hourly_impressions_mv', 'impressions', 'ts', 'impression', `fraud_reason != ''`),
    ],
  },
];

/**
 * Creates missing rollups. A rollup whose views are not all there is rebuilt: its views are
 * dropped, its table emptied and refilled from the raw tables, then the views are created.
 * Filling before creating the views means no row is counted twice; it also means a row
 * inserted between the two would be missed, so run this before anything writes (the chDB
 * adapter runs it on its writer queue, where inserts wait their turn).
 */
export async function migrateRollups(exec: (sql: string) => Promise<void>, exists: (name: string) => Promise<boolean>): Promise<void> {
  for (const rollup of ROLLUPS) {
    const present = await Promise.all(rollup.sources.map((s) => exists(s.view)));
    if (present.every(Boolean)) continue;
    for (const view of [...(rollup.retired ?? []), ...rollup.sources.map((s) => s.view)]) await exec(`DROP VIEW IF EXISTS ${view}`);
    await exec(rollup.ddl);
    for (const sql of rollup.alter ?? []) await exec(sql);
    await exec(`TRUNCATE TABLE IF EXISTS ${rollup.table}`);
    // No block dedupe for the refill: an earlier, interrupted refill's identical blocks are in the dedupe log.
    for (const s of rollup.sources) await exec(`INSERT INTO ${rollup.table} (${s.columns}) SETTINGS insert_deduplicate = 0 ${s.select}`);
    for (const s of rollup.sources) await exec(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.view} TO ${rollup.table} AS ${s.select}`);
  }
  // A rollup kept from an earlier release keeps its rows; only its dedupe window grows.
  for (const rollup of ROLLUPS) await exec(widenDedupeWindow(rollup.table));
}
