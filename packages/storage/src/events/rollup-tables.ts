import { DEDUPE_WINDOW_SETTING } from './dedupe-window.ts';

/** The rollup tables' DDL (rollups.ts says what each holds and which views fill it). */

/**
 * A retried identical insert is dropped from its raw table (clickhouse-schema.ts); its views'
 * blocks must be dropped with it, or the rollup would count the batch twice. With this window
 * on the rollup and `deduplicate_blocks_in_dependent_materialized_views` on the insert, a view's
 * block is deduplicated by the id of the raw block that produced it (so two different batches
 * that happen to roll up to identical rows both count — the contract tests both cases).
 */
const DEDUPE = `SETTINGS ${DEDUPE_WINDOW_SETTING}`;

export const TRAFFIC_HOURLY = `
CREATE TABLE IF NOT EXISTS traffic_hourly (
  app_id LowCardinality(String),
  hour DateTime('UTC'),
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  ad_set String,
  ad String,
  site_id String,
  events UInt64,
  revenue Float64,
  clicks UInt64,
  impressions UInt64,
  attributed UInt64,
  organic UInt64,
  rejected UInt64,
  reinstalls UInt64,
  reattributions UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(hour)
ORDER BY (app_id, hour, media_source, campaign, ad_set, ad, site_id)
${DEDUPE}`;

export const DEVICE_HOURS = `
CREATE TABLE IF NOT EXISTS device_hours (
  app_id LowCardinality(String),
  hour DateTime('UTC'),
  device_key UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYear(hour)
ORDER BY (app_id, hour, device_key)
${DEDUPE}`;

export const DEVICE_MONTHS = `
CREATE TABLE IF NOT EXISTS device_months (
  app_id LowCardinality(String),
  month Date,
  device_key UInt64,
  days SimpleAggregateFunction(groupBitOr, UInt32),
  engaged SimpleAggregateFunction(groupBitOr, UInt32),
  prev_days SimpleAggregateFunction(groupBitOr, UInt32),
  installs SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(Int64, String))),
  hours SimpleAggregateFunction(groupUniqArrayArray, Array(UInt16)),
  prev_hours SimpleAggregateFunction(groupUniqArrayArray, Array(UInt16))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (app_id, month, device_key)
${DEDUPE}`;

export const REVENUE_HOURLY = `
CREATE TABLE IF NOT EXISTS revenue_hourly (
  app_id LowCardinality(String),
  hour DateTime('UTC'),
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  ad_set String,
  ad String,
  site_id String,
  currency LowCardinality(String),
  revenue Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(hour)
ORDER BY (app_id, hour, media_source, campaign, ad_set, ad, site_id, currency)
${DEDUPE}`;

export const FRAUD_HOURLY = `
CREATE TABLE IF NOT EXISTS fraud_hourly (
  app_id LowCardinality(String),
  hour DateTime('UTC'),
  kind LowCardinality(String),
  media_source LowCardinality(String),
  reason LowCardinality(String),
  flagged UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(hour)
ORDER BY (app_id, hour, kind, media_source, reason)
${DEDUPE}`;

/** Columns added to traffic_hourly after it was first created (a data directory may hold the older table). */
export const TRAFFIC_HOURLY_COLUMNS = [`ALTER TABLE traffic_hourly ADD COLUMN IF NOT EXISTS reattributions UInt64`];

/** Columns added to device_months after it was first created (a data directory may hold the older table). */
export const DEVICE_MONTHS_COLUMNS = [
  `ALTER TABLE device_months ADD COLUMN IF NOT EXISTS prev_days SimpleAggregateFunction(groupBitOr, UInt32)`,
  `ALTER TABLE device_months ADD COLUMN IF NOT EXISTS installs SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(Int64, String)))`,
  `ALTER TABLE device_months ADD COLUMN IF NOT EXISTS hours SimpleAggregateFunction(groupUniqArrayArray, Array(UInt16))`,
  `ALTER TABLE device_months ADD COLUMN IF NOT EXISTS prev_hours SimpleAggregateFunction(groupUniqArrayArray, Array(UInt16))`,
];
