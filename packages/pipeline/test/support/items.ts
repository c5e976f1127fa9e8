import type { AppEvent, TouchItem } from '@unmogrowp/schema';

/** Pipeline items for tests: a click and an app event with every field set, overridable. */
const T0 = Date.UTC(2026, 10, 1, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let n = 0;
export function click(o: Partial<TouchItem> = {}): TouchItem {
  const id = `clk_${++n}`;
  return {
    kind: 'touch',
    touch: 'click',
    app_id: 'app_1',
    event_id: id,
    click_id: id,
    link_id: 'lnk_a',
    timestamp: T0,
    received_at: T0,
    ip: '203.0.113.9',
    user_agent: '',
    advertising_id: '',
    platform: 'android',
    os_version: '14',
    media_source: 'meta_ads',
    campaign: 'spring',
    ad_set: '',
    ad: '',
    site_id: '',
    sub1: '',
    sub2: '',
    sub3: '',
    sub4: '',
    sub5: '',
    network_click_id: 'net-1',
    is_retargeting: false,
    click_window_ms: 7 * DAY,
    view_window_ms: DAY,
    params: {},
    fraud_reason: '',
    ...o,
  };
}

export function event(o: Partial<AppEvent> = {}): AppEvent {
  return {
    kind: 'event',
    app_id: 'app_1',
    event_id: `evt_${++n}`,
    type: 'install',
    name: 'install',
    timestamp: T0 + HOUR,
    received_at: T0 + HOUR,
    device_id: 'dev-1',
    advertising_id: '',
    platform: 'android',
    os_version: '14',
    model: '',
    app_version: '',
    locale: '',
    user_id: '',
    ip: '198.51.100.7',
    user_agent: '',
    click_id: '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: {},
    source: 'native',
    ...o,
  };
}
