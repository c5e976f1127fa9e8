import { canonicalIp } from './ip.ts';
import type { AppAttributionSettings } from './settings.ts';
import { HOUR_MS } from './windows.ts';

/**
 * docs/attribution-rules.md: more than N clicks (default 50) from one IP on one link in an hour → the excess clicks do
 * not count. The counting is stateful and lives with the click recorder; this file is the rule and the
 * key, so every recorder (in-memory, Redis) applies the same one.
 */
export const CLICK_FLOOD_WINDOW_MS = HOUR_MS;

/** One counter per (link, IP); the IP is canonical so '::ffff:1.2.3.4' and '1.2.3.4' share a counter. */
export function clickFloodKey(linkId: string, ip: string): string {
  return `${linkId}|${canonicalIp(ip)}`;
}

/** The hour a click is counted in: the UTC hour of its click time, whenever it arrives. */
export function clickFloodHour(ts: number): number {
  return Math.floor(ts / CLICK_FLOOD_WINDOW_MS);
}

/**
 * `clicksInHour` is the click's rank among the distinct clicks from this IP on this link in its
 * click-time hour (see clickFloodHour), itself included. The first `max` clicks count; the
 * (max+1)th and later are the excess.
 */
export function clickFloodReason(clicksInHour: number, settings: AppAttributionSettings): 'click_flood' | '' {
  const { click_flood_enabled, click_flood_max_per_hour } = settings.fraud;
  return click_flood_enabled && clicksInHour > click_flood_max_per_hour ? 'click_flood' : '';
}
