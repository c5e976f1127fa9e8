import { DEDUPE_WINDOW_SETTING } from './dedupe-window.ts';

/**
 * Attribution state that has no analytics table of its own but must outlive a restart:
 * re-engagements (which credit a device's later events) and the clicks the click-flood rule
 * counts. The SQL is plain ClickHouse, shared by every EventStore adapter.
 */

/** One re-engagement decision: the open that caused it and the credit its later events inherit. */
export interface ReengagementRow {
  app_id: string;
  device_id: string;
  /** the open's event_id: the row's id, so a replayed open is stored once */
  event_id: string;
  at: number;
  touch_at: number | null;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  link_id: string;
  click_id: string;
  network_click_id: string;
}

/** A click as the click-flood counter takes it, rejected ones included. */
export interface FloodClick {
  link_id: string;
  ip: string;
  click_id: string;
  ts: number;
}

export const REENGAGEMENTS_DDL = `
CREATE TABLE IF NOT EXISTS reengagements (
  app_id LowCardinality(String),
  device_id String,
  event_id String,
  at DateTime64(3, 'UTC'),
  touch_at Nullable(DateTime64(3, 'UTC')),
  media_source LowCardinality(String),
  campaign LowCardinality(String),
  ad_set String,
  ad String,
  site_id String,
  link_id String,
  click_id String,
  network_click_id String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (app_id, device_id, at)
SETTINGS index_granularity = 8192, ${DEDUPE_WINDOW_SETTING}`;

export const REENGAGEMENT_COLUMNS = [
  'app_id',
  'device_id',
  'event_id',
  'at',
  'touch_at',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'link_id',
  'click_id',
  'network_click_id',
] as const;

export function reengagementValues(r: ReengagementRow): (string | number | null)[] {
  return [
    r.app_id,
    r.device_id,
    r.event_id,
    r.at,
    r.touch_at,
    r.media_source,
    r.campaign,
    r.ad_set,
    r.ad,
    r.site_id,
    r.link_id,
    r.click_id,
    r.network_click_id,
  ];
}

/** Oldest first, so a device's list is rebuilt in decision order; a replayed open appears once. */
export const REENGAGEMENTS_SINCE_SQL = `
SELECT app_id, device_id, event_id, toUnixTimestamp64Milli(at) AS at_ms,
  toUnixTimestamp64Milli(touch_at) AS touch_ms, media_source, campaign, ad_set, ad, site_id, link_id, click_id, network_click_id
FROM reengagements WHERE at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
ORDER BY app_id, device_id, at_ms, event_id
LIMIT 1 BY app_id, event_id`;

/** Every click since, flood-rejected ones too (they count), in click-time order. */
export const FLOOD_CLICKS_SINCE_SQL = `
SELECT link_id, ip, click_id, toUnixTimestamp64Milli(ts) AS ts_ms
FROM clicks WHERE ts >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
ORDER BY ts_ms`;

type Raw = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function reengagementOf(r: Raw): ReengagementRow {
  return {
    app_id: String(r.app_id),
    device_id: String(r.device_id),
    event_id: String(r.event_id),
    at: num(r.at_ms),
    touch_at: r.touch_ms === null || r.touch_ms === undefined ? null : num(r.touch_ms),
    media_source: String(r.media_source),
    campaign: String(r.campaign),
    ad_set: String(r.ad_set),
    ad: String(r.ad),
    site_id: String(r.site_id),
    link_id: String(r.link_id),
    click_id: String(r.click_id),
    network_click_id: String(r.network_click_id),
  };
}

export function floodClickOf(r: Raw): FloodClick {
  return { link_id: String(r.link_id), ip: String(r.ip), click_id: String(r.click_id), ts: num(r.ts_ms) };
}
