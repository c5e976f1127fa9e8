import type { Touchpoint } from '@unmogrowp/attribution';
import type { TouchItem } from '@unmogrowp/schema';

/** The log's click/impression item as the attribution engine sees a touchpoint. */
export function touchpointOf(t: TouchItem): Touchpoint {
  return {
    kind: t.touch,
    touch_id: t.click_id,
    app_id: t.app_id,
    link_id: t.link_id,
    ts: t.timestamp,
    advertising_id: t.advertising_id,
    ip: t.ip,
    platform: t.platform,
    os_version: t.os_version,
    media_source: t.media_source,
    campaign: t.campaign,
    ad_set: t.ad_set,
    ad: t.ad,
    site_id: t.site_id,
    network_click_id: t.network_click_id,
    is_retargeting: t.is_retargeting,
    click_window_ms: t.click_window_ms,
    view_window_ms: t.view_window_ms,
    fraud_reason: t.fraud_reason,
  };
}
