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
 * - sort keys start with `(app_id, toDate(time))`: every analytics query is one app over a
 *   time range, and ClickHouse prunes a `ts >= …` condition through the monotonic `toDate`;
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

const EVENTS = `
CREATE TABLE IF NOT EXISTS events (
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
ORDER BY (app_id, toDate(ts), name, device_id)
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
function touchpointTable(table: 'clicks' | 'impressions'): string {
  return `
CREATE TABLE IF NOT EXISTS ${table} (
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
ORDER BY (app_id, toDate(ts), media_source, link_id)
${TABLE_SETTINGS}`;
}

/** One row per install decision; the `installs` API row (docs/api.md §4) plus what produced it. */
const INSTALLS = `
CREATE TABLE IF NOT EXISTS installs (
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
ORDER BY (app_id, toDate(installed_at), media_source, device_id)
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

/** Bloom filters for the replay check on the attribution tables (events and identities have theirs). */
const ID_INDEXES = (['clicks', 'impressions', 'installs'] as const).map(
  (t) => `ALTER TABLE ${t} ADD INDEX IF NOT EXISTS ${ID_COLUMNS[t]}_bf ${ID_COLUMNS[t]} TYPE bloom_filter(0.01) GRANULARITY 4`,
);

/** The IP an install came from (the fraud report's `blocked_ip` evidence); added after `installs` was first created. */
const INSTALLS_IP = `ALTER TABLE installs ADD COLUMN IF NOT EXISTS ip String DEFAULT '' AFTER platform`;

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

/** Every statement `migrate()` runs, in order; each is idempotent. */
export const EVENT_STORE_DDL: readonly string[] = [
  EVENTS,
  IDENTITIES,
  touchpointTable('clicks'),
  touchpointTable('impressions'),
  INSTALLS,
  INSTALLS_IP,
  ...ID_INDEXES,
  COSTS,
  REENGAGEMENTS_DDL,
  FX_RATES_DDL,
  // Tables may exist in a data directory from an earlier release: their dedupe window grows,
  // columns added since are added.
  ...EVENT_TABLES.map(widenDedupeWindow),
  ...(['clicks', 'impressions'] as const).flatMap((t) => [
    `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS click_window_ms UInt32 DEFAULT 0`,
    `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS view_window_ms UInt32 DEFAULT 0`,
  ]),
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
