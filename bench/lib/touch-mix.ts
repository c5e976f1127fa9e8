import type { Platform, Touchpoint } from '@unmogrowp/attribution';

/**
 * The synthetic touch population of the touchpoint benches (see bench/attribution.ts for the
 * mix), deterministic: the same seed gives the same touches in every run and every bench.
 */
export function touchMix(total: number, seedValue = 7): (i: number) => Touchpoint {
  const T0 = Date.UTC(2026, 4, 1);
  const WEEK = 7 * 86_400_000;
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  // mulberry32: a small seeded generator whose low bits do not cycle (ids must not repeat).
  let seed = seedValue;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
  const chars = (n: number, alphabet = B62) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[rand(alphabet.length)];
    return s;
  };
  const hex = (n: number) => chars(n, '0123456789abcdef');
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const ipv4 = () => `${1 + rand(223)}.${rand(256)}.${rand(256)}.${rand(256)}`;
  const ipv6 = () => `2001:db8:${rand(65536).toString(16)}:${rand(65536).toString(16)}::${rand(65536).toString(16)}`;
  const OS = Array.from({ length: 30 }, (_, i) => `${12 + (i % 6)}.${i % 5}`);

  return function makeTouch(i: number): Touchpoint {
    const click = rand(100) < 85;
    const platform: Platform = rand(2) ? 'ios' : 'android';
    const ad = !click || rand(100) < 60 ? uuid() : '';
    const link = rand(200);
    return {
      kind: click ? 'click' : 'impression',
      touch_id: `clk_${chars(16)}`,
      app_id: `app_${link % 4}`,
      link_id: `lnk_${String(link).padStart(12, '0')}`,
      ts: T0 + Math.floor((i / total) * WEEK),
      advertising_id: platform === 'ios' ? ad.toUpperCase() : ad,
      ip: rand(10) < 7 ? ipv4() : ipv6(),
      platform,
      os_version: OS[rand(OS.length)]!,
      media_source: `network_${link % 12}`,
      campaign: `campaign_${link % 40}`,
      ad_set: `set_${link % 80}`,
      ad: '',
      site_id: rand(10) < 3 ? `site_${rand(100)}` : '',
      network_click_id: click && rand(2) ? chars(32) : '',
      is_retargeting: link % 10 === 0,
      click_window_ms: 0,
      view_window_ms: 0,
      fraud_reason: '',
    };
  };
}
