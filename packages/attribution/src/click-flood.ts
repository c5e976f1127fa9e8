import { canonicalIp } from './ip.ts';
import type { AppAttributionSettings } from './settings.ts';
import { HOUR_MS } from './windows.ts';

/**
 * API.md §3: more than N clicks (default 50) from one IP on one link in an hour → the excess clicks do
 * not count. The counting is stateful and lives with the click recorder; this file is the rule and the
 * key, so every recorder (in-memory, Redis) applies the same one.
 */
export const CLICK_FLOOD_WINDOW_MS = HOUR_MS;

/** One counter per (link, IP); the IP is canonical so '::ffff:1.2.3.4' and '1.2.3.4' share a counter. */
export function clickFloodKey(linkId: string, ip: string): string {
  return `${linkId}|${canonicalIp(ip)}`;
}

/**
 * `clicksInHour` counts this click too: the clicks from this IP on this link in (ts − 1 h, ts].
 * The first `max` clicks count; the (max+1)th and later are the excess.
 */
export function clickFloodReason(clicksInHour: number, settings: AppAttributionSettings): 'click_flood' | '' {
  const { click_flood_enabled, click_flood_max_per_hour } = settings.fraud;
  return click_flood_enabled && clicksInHour > click_flood_max_per_hour ? 'click_flood' : '';
}

/**
 * Helper for a sliding-window counter: how many of the sorted (ascending) earlier click times fall in the
 * trailing hour before `now`, plus this click. Callers may drop timestamps at index < `firstInWindow`.
 */
export function countInTrailingHour(sortedEarlier: readonly number[], now: number): { count: number; firstInWindow: number } {
  const cutoff = now - CLICK_FLOOD_WINDOW_MS;
  let lo = 0;
  let hi = sortedEarlier.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedEarlier[mid]! > cutoff) hi = mid;
    else lo = mid + 1;
  }
  let inWindow = 0;
  for (let i = lo; i < sortedEarlier.length; i++) if (sortedEarlier[i]! <= now) inWindow++;
  return { count: inWindow + 1, firstInWindow: lo };
}
