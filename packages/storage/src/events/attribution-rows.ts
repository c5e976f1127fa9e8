import type { InstallRow, TouchRow } from './analytics-types.ts';

/**
 * Clicks, impressions and install decisions → values in column order, for the same
 * `JSONCompactEachRow` inserts as events (see event-rows.ts). Pure. Like there, one odd value
 * must not fail a batch: non-finite times become 0, a CTIT the column cannot hold becomes NULL.
 */

type Value = string | number | boolean | null;

function millis(value: number): number {
  return Number.isFinite(value) ? Math.round(value) : 0;
}

/** A whole number the Int32 column can hold, else NULL (unknown beats a failed batch). */
function int32OrNull(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const n = Math.round(value);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** A window the UInt32 column can hold (0 = the app's setting applies). */
function windowMs(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.min(Math.round(value), 4294967295) : 0;
}

export const TOUCH_COLUMNS = [
  'app_id',
  'click_id',
  'link_id',
  'ts',
  'ip',
  'user_agent',
  'advertising_id',
  'platform',
  'os_version',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'network_click_id',
  'is_retargeting',
  'params',
  'fraud_reason',
  'click_window_ms',
  'view_window_ms',
] as const;

/** The values of one click or impression, in `TOUCH_COLUMNS` order. */
export function touchValues(t: TouchRow): Value[] {
  return [
    t.app_id,
    t.click_id,
    t.link_id,
    millis(t.ts),
    t.ip ?? '',
    t.user_agent ?? '',
    t.advertising_id ?? '',
    t.platform ?? '',
    t.os_version ?? '',
    t.media_source,
    t.campaign ?? '',
    t.ad_set ?? '',
    t.ad ?? '',
    t.site_id ?? '',
    t.sub1 ?? '',
    t.sub2 ?? '',
    t.sub3 ?? '',
    t.sub4 ?? '',
    t.sub5 ?? '',
    t.network_click_id ?? '',
    t.is_retargeting === true,
    JSON.stringify(t.params ?? {}),
    t.fraud_reason ?? '',
    windowMs(t.click_window_ms),
    windowMs(t.view_window_ms),
  ];
}

export const INSTALL_COLUMNS = [
  'app_id',
  'install_id',
  'event_id',
  'device_id',
  'advertising_id',
  'platform',
  'ip',
  'installed_at',
  'status',
  'match_type',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'link_id',
  'click_id',
  'network_click_id',
  'touch_at',
  'ctit_seconds',
  'fraud_reason',
  'is_reattribution',
  'decided_at',
] as const;

/**
 * The values of one install decision, in `INSTALL_COLUMNS` order. A missing `decided_at` is
 * `installed_at`, not the clock: a retried batch must be byte-identical to be stored once.
 */
export function installValues(i: InstallRow): Value[] {
  return [
    i.app_id,
    i.install_id,
    i.event_id ?? '',
    i.device_id,
    i.advertising_id,
    i.platform,
    i.ip,
    millis(i.installed_at),
    i.status,
    i.match_type,
    i.media_source,
    i.campaign,
    i.ad_set,
    i.ad,
    i.site_id,
    i.link_id,
    i.click_id,
    i.network_click_id,
    i.touch_at === null || !Number.isFinite(i.touch_at) ? null : Math.round(i.touch_at),
    int32OrNull(i.ctit_seconds),
    i.fraud_reason,
    i.is_reattribution === true,
    millis(i.decided_at ?? i.installed_at),
  ];
}
