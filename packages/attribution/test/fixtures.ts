import type { Install, Touchpoint } from '../src/index.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The install time every scenario is measured from. */
export const T = Date.UTC(2025, 5, 1, 12, 0, 0);

export const AD_ID = 'aaaaaaaa-1111-2222-3333-444444444444';
export const OTHER_AD_ID = 'bbbbbbbb-1111-2222-3333-444444444444';
export const ZERO_AD_ID = '00000000-0000-0000-0000-000000000000';
export const IP = '198.51.100.7';

export function install(overrides: Partial<Install> = {}): Install {
  return {
    app_id: 'app1',
    device_id: 'dev1',
    advertising_id: AD_ID,
    ts: T,
    ip: IP,
    platform: 'android',
    os_version: '14',
    install_referrer: null,
    click_id: '',
    ...overrides,
  };
}

type TouchInput = Partial<Touchpoint> & { id: string; ago: number };

function touch(kind: Touchpoint['kind'], { id, ago, ...overrides }: TouchInput): Touchpoint {
  return {
    kind,
    touch_id: id,
    app_id: 'app1',
    link_id: `link-${id}`,
    ts: T - ago,
    advertising_id: '',
    ip: '203.0.113.99',
    platform: 'android',
    os_version: '14',
    media_source: `network-${id}`,
    campaign: `campaign-${id}`,
    ad_set: 'set',
    ad: 'ad',
    site_id: 'site',
    network_click_id: `net-${id}`,
    is_retargeting: false,
    click_window_ms: 0,
    view_window_ms: 0,
    fraud_reason: '',
    ...overrides,
  };
}

/** A click `ago` ms before the install; matches nothing unless the overrides say how. */
export const click = (input: TouchInput) => touch('click', input);
export const impression = (input: TouchInput) => touch('impression', input);
/** A click that matches the install by advertising id. */
export const adClick = (id: string, ago: number, o: Partial<Touchpoint> = {}) => click({ id, ago, advertising_id: AD_ID, ...o });
/** A click that matches the install probabilistically (same IP, platform, OS version). */
export const ipClick = (id: string, ago: number, o: Partial<Touchpoint> = {}) => click({ id, ago, ip: IP, ...o });
export const adView = (id: string, ago: number, o: Partial<Touchpoint> = {}) => impression({ id, ago, advertising_id: AD_ID, ...o });

/** A deterministic [0, 1) source (mulberry32) for property-style loops. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
