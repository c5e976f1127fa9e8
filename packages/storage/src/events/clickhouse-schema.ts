import { DEDUPE_WINDOW_SETTING, widenDedupeWindow } from './dedupe-window.ts';
import { FX_RATES_DDL } from './fx-rate-rows.ts';
import { REENGAGEMENTS_DDL } from './restart-state.ts';

/**
 * The analytics tables, as plain ClickHouse SQL: chDB runs these statements, and a
 * ClickHouse-server adapter runs the very same ones (table names are unqualified, so the
 * connection's database decides where they live).
 *
 * Shared choices:
 * - every time is `DateTime64(3, 'UTC')`, inserted as epoch milliseconds;
 * - absent strings are '' (no Nullable on hot columns; Nullable only where "no value" must
 *   differ from 0 in the API, e.g. an organic install's `touch_at`);
 * - the raw tables' sort keys start with `app_id` and the hour of their time (RAW_SORT_KEYS):
 *   every analytics query is one app over a time range, and ClickHouse prunes a `ts >= …`
 *   condition through the monotonic hour, so the partial hours at a range's ends (answered from
 *   the raw rows, time-split.ts) read their hour's granules, not their whole day's. Tables of an
 *   earlier release, sorted by `toDate(time)`, are re-sorted in place by migrate
 *   (raw-sort-keys.ts);
 * - monthly partitions on the same time, so old months can be dropped whole;
 * - `non_replicated_deduplication_window` (dedupe-window.ts): an insert block identical to one of
 *   the last 10,000 (or carrying the same token) is dropped. Every row carries its id, so an identical block is a retried batch (an
 *   insert whose caller gave up while it still landed). It is decided at insert time only and
 *   costs queries nothing. Real dedupe of `event_id` happens before the store (ingest index).
 * - JSON payloads (`properties`, `traits`, `install_referrer`, `params`) are JSON text.
 */

/** The tables of items with their own id (see ID_COLUMNS), what `existingIds` looks in. */
export const EVENT_TABLES = ['events', 'identities', 'clicks', 'impressions', 'installs', 'reengagements'] as const;
export type EventTable = (typeof EVENT_TABLES)[number];

const TABLE_SETTINGS = `SETTINGS index_granularity = 8192, ${DEDUPE_WINDOW_SETTING}`;

/** Attribution an event inherits from its device's install or re-engagement (docs/attribution-rules.md). */
const INHERITED_ATTRIBUTION = `
  media_source LowCardinality(String) DEFAULT '',
  campaign LowCardinality(String) DEFAULT '',
  ad_set String DEFAULT '',
  ad String DEFAULT '',
  site_id String DEFAULT '',
  link_id String DEFAULT ''`;

/**
 * Hour number since the epoch of a `DateTime64` column, what the raw tables sort on. Not
 * `toStartOfHour`: it returns a `DateTime`, which wraps outside 1970…2106, and a key that wraps
 * is not monotonic, so ClickHouse would prune granules holding rows of the range (a row of 2120
 * went missing). Milliseconds divided toward zero are monotonic over the whole `DateTime64`
 * range (the last hour of 1969 shares number 0 with the first of 1970, which costs nothing).
 */
const hourKey = (col: string) => `intDiv(toUnixTimestamp64Milli(${col}), 3600000)`;

/**
 * The raw tables' sort keys, as ClickHouse prints them (system.tables `sorting_key`); a table
 * whose key is another one is re-sorted by migrate (raw-sort-keys.ts).
 */
export const RAW_SORT_KEYS = {
  events: `app_id, ${hourKey('ts')}, name, device_id`,
  clicks: `app_id, ${hourKey('ts')}, media_source, link_id`,
  impressions: `app_id, ${hourKey('ts')}, media_source, link_id`,
  installs: `app_id, ${hourKey('installed_at')}, media_source, device_id`,
} as const;
export type RawTable = keyof typeof RAW_SORT_KEYS;
export const RAW_TABLES = Object.keys(RAW_SORT_KEYS) as RawTable[];

/** The time column each raw table is partitioned and sorted on. */
export const RAW_TIME: Record<RawTable, string> = { events: 'ts', clicks: 'ts', impressions: 'ts', installs: 'installed_at' };

const eventsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  app_id LowCardinality(String),
  event_id String,
  type LowCardinality(String),
  name LowCardinality(String),
  ts DateTime64(3, 'UTC'),
  received_at DateTime64(3, 'UTC'),
  device_id String,
  advertising_id String,
  platform LowCardinality(String),
  os_version LowCardinality(String),
  model LowCardinality(String),
  app_version LowCardinality(String),
  locale LowCardinality(String),
  user_id String,
  ip String,
  user_agent String,
  click_id String,
  install_referrer String,
  revenue Float64,
  currency LowCardinality(String),
  properties String,
  source LowCardinality(String),${INHERITED_ATTRIBUTION},
  INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 4,
  INDEX received_at_mm received_at TYPE minmax GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (${RAW_SORT_KEYS.events})
${TABLE_SETTINGS}`;

const IDENTITIES = `
CREATE TABLE IF NOT EXISTS identities (
  app_id LowCardinality(String),
  event_id String,
  action LowCardinality(String),
  ts DateTime64(3, 'UTC'),
  received_at DateTime64(3, 'UTC'),
  device_id String,
  user_id String,
  previous_id String,
  traits String,
  source LowCardinality(String),
  INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 4,
  INDEX received_at_mm received_at TYPE minmax GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (app_id, device_id, ts)
${TABLE_SETTINGS}`;

/**
 * Clicks and impressions share one shape so the touchpoint index reads both the same way;
 * in `impressions`, `click_id` is our id of the impression.
 */
function touchpointTable(table: 'clicks' | 'impressions', name: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${name} (
  app_id LowCardinality(String),
  click_id String,
  link_id String,
  ts DateTime64(3, 'UTC'),
  ip String,
  user_agent String,
  advertising_id String,
  platform LowCardinality(String),
  os_version LowCardinality(String),
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  ad_set String,
  ad String,
  site_id String,
  sub1 String,
  sub2 String,
  sub3 String,
  sub4 String,
  sub5 String,
  network_click_id String,
  is_retargeting Bool DEFAULT false,
  params String,
  fraud_reason LowCardinality(String),
  click_window_ms UInt32 DEFAULT 0,
  view_window_ms UInt32 DEFAULT 0
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (${RAW_SORT_KEYS[table]})
${TABLE_SETTINGS}`;
}

/** One row per install decision; the `installs` API row (docs/api.md §4) plus what produced it. */
const installsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  app_id LowCardinality(String),
  install_id String,
  event_id String,
  device_id String,
  advertising_id String,
  platform LowCardinality(String),
  installed_at DateTime64(3, 'UTC'),
  status LowCardinality(String),
  match_type LowCardinality(String),
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  ad_set String,
  ad String,
  site_id String,
  link_id String,
  click_id String,
  network_click_id String,
  touch_at Nullable(DateTime64(3, 'UTC')),
  ctit_seconds Nullable(Int32),
  fraud_reason LowCardinality(String),
  is_reattribution Bool DEFAULT false,
  decided_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(installed_at)
ORDER BY (${RAW_SORT_KEYS.installs})
${TABLE_SETTINGS}`;

/** The id column of each table, what a replay after a crash is checked against. */
export const ID_COLUMNS: Record<EventTable, string> = {
  events: 'event_id',
  identities: 'event_id',
  clicks: 'click_id',
  impressions: 'click_id',
  installs: 'install_id',
  reengagements: 'event_id',
};

/** Bloom filter for the replay check on an attribution table (events and identities have theirs in their DDL). */
const idIndex = (table: 'clicks' | 'impressions' | 'installs', name: string) =>
  `ALTER TABLE ${name} ADD INDEX IF NOT EXISTS ${ID_COLUMNS[table]}_bf ${ID_COLUMNS[table]} TYPE bloom_filter(0.01) GRANULARITY 4`;

/**
 * A raw table as this release has it, under `name` (the table's own, or the copy migrate
 * re-sorts it into): created when missing, then brought to the current columns, indexes and
 * dedupe window when an earlier release made it. Each statement is idempotent.
 */
export function rawTableStatements(table: RawTable, name: string = table): string[] {
  switch (table) {
    case 'events':
      return [eventsTable(name), widenDedupeWindow(name)];
    case 'clicks':
    case 'impressions':
      return [
        touchpointTable(table, name),
        idIndex(table, name),
        widenDedupeWindow(name),
        `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS click_window_ms UInt32 DEFAULT 0`,
        `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS view_window_ms UInt32 DEFAULT 0`,
      ];
    case 'installs':
      return [
        installsTable(name),
        // The IP an install came from (the fraud report's `blocked_ip` evidence); added after `installs` was first created.
        `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ip String DEFAULT '' AFTER platform`,
        idIndex(table, name),
        widenDedupeWindow(name),
      ];
  }
}

/**
 * Ad spend per UTC day, source and campaign. A re-import of the same key replaces the old row:
 * ReplacingMergeTree keeps the highest `imported_at`, and queries read it with FINAL (the
 * table is tiny next to events, so FINAL costs nothing worth measuring). No block dedupe here:
 * importing A, then B, then A again must end at A, and an identical block would be dropped.
 */
const COSTS = `
CREATE TABLE IF NOT EXISTS costs (
  app_id LowCardinality(String),
  date Date,
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  cost Float64,
  currency LowCardinality(String),
  imported_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(imported_at)
PARTITION BY toYYYYMM(date)
ORDER BY (app_id, date, media_source, campaign)`;

/** Every statement `migrate()` runs first, in order; each is idempotent. */
export const EVENT_STORE_DDL: readonly string[] = [
  ...RAW_TABLES.flatMap((t) => rawTableStatements(t)),
  IDENTITIES,
  COSTS,
  REENGAGEMENTS_DDL,
  FX_RATES_DDL,
  // Tables may exist in a data directory from an earlier release: their dedupe window grows.
  ...(['identities', 'reengagements'] as const).map(widenDedupeWindow),
];

/**
 * Settings for every insert. Inserts are already batched, so the server-side async-insert
 * buffer would only add latency (chDB turns it on by default). A row whose device clock put it
 * in a far-away month must not fail its whole batch on the 100-partitions-per-block limit.
 * A lone UTF-16 surrogate in a string becomes a replacement instead of failing the batch.
 * A retried block dropped from a table is dropped from the rollups its views feed (rollups.ts).
 */
export const INSERT_SETTINGS = {
  async_insert: 0,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  parallel_view_processing: 1,
  throw_on_max_partitions_per_insert_block: 0,
  input_format_json_throw_on_bad_escape_sequence: 0,
} as const;
