import type { Touchpoint } from '@unmogrowp/attribution';
import type { InstallFields } from './analytics-types.ts';

/**
 * What the attribution pipeline keeps in memory, read back from the tables on start: recent
 * touches that can still win an install, and each device's current install.
 */

/** A stored click or impression, as the touchpoint index takes it. */
export type StoredTouch = Touchpoint;

/** A device's current install: its latest decision that is not a reinstall. */
export interface StoredDeviceInstall extends InstallFields {
  app_id: string;
}

const TOUCH_SELECT = (kind: string, table: string) => `
SELECT '${kind}' AS kind, click_id AS touch_id, app_id, link_id, toUnixTimestamp64Milli(ts) AS ts_ms, advertising_id, ip,
  platform, os_version, media_source, campaign, ad_set, ad, site_id, network_click_id, is_retargeting,
  click_window_ms, view_window_ms, fraud_reason
FROM ${table} WHERE ts >= fromUnixTimestamp64Milli({since:Int64}, 'UTC') AND fraud_reason = ''`;

export const TOUCHES_SINCE_SQL = `${TOUCH_SELECT('click', 'clicks')}\nUNION ALL${TOUCH_SELECT('impression', 'impressions')}\nORDER BY ts_ms`;

export const CURRENT_INSTALLS_SQL = `
SELECT app_id, device_id,
  argMax(tuple(install_id, toUnixTimestamp64Milli(installed_at), status, match_type, media_source, campaign, ad_set, ad,
    site_id, link_id, click_id, network_click_id, toUnixTimestamp64Milli(touch_at), ctit_seconds, fraud_reason, is_reattribution,
    advertising_id),
    installed_at) AS i
FROM installs WHERE status != 'reinstall'
GROUP BY app_id, device_id`;

type Raw = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function storedTouchOf(r: Raw): StoredTouch {
  return {
    kind: r.kind as Touchpoint['kind'],
    touch_id: String(r.touch_id),
    app_id: String(r.app_id),
    link_id: String(r.link_id),
    ts: num(r.ts_ms),
    advertising_id: String(r.advertising_id),
    ip: String(r.ip),
    platform: (r.platform || 'web') as Touchpoint['platform'],
    os_version: String(r.os_version),
    media_source: String(r.media_source),
    campaign: String(r.campaign),
    ad_set: String(r.ad_set),
    ad: String(r.ad),
    site_id: String(r.site_id),
    network_click_id: String(r.network_click_id),
    is_retargeting: r.is_retargeting === true || r.is_retargeting === 1,
    click_window_ms: num(r.click_window_ms),
    view_window_ms: num(r.view_window_ms),
    fraud_reason: String(r.fraud_reason),
  };
}

export function storedDeviceInstallOf(r: Raw): StoredDeviceInstall {
  const i = r.i as unknown[];
  return {
    app_id: String(r.app_id),
    device_id: String(r.device_id),
    install_id: String(i[0]),
    installed_at: num(i[1]),
    status: i[2] as StoredDeviceInstall['status'],
    match_type: i[3] as StoredDeviceInstall['match_type'],
    media_source: String(i[4]),
    campaign: String(i[5]),
    ad_set: String(i[6]),
    ad: String(i[7]),
    site_id: String(i[8]),
    link_id: String(i[9]),
    click_id: String(i[10]),
    network_click_id: String(i[11]),
    touch_at: i[12] === null ? null : num(i[12]),
    ctit_seconds: i[13] === null ? null : num(i[13]),
    fraud_reason: String(i[14]),
    is_reattribution: i[15] === true || i[15] === 1,
    advertising_id: String(i[16]),
  };
}
