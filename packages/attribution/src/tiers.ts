import { normalizeAdvertisingId, normalizeOsVersion } from './device-ids.ts';
import { canonicalIp } from './ip.ts';
import { installClickIds } from './referrer.ts';
import type { AppAttributionSettings } from './settings.ts';
import type { Install, MatchType, Touchpoint } from './types.ts';
import { clickWindowMs, isInsideWindow, probabilisticWindowMs, viewWindowMs } from './windows.ts';

export interface TierMatch {
  match_type: Exclude<MatchType, 'none'>;
  winner: Touchpoint;
}

/** A touch can count at all: same app, earlier than the install, not flagged as fraud. */
export function isEligibleTouch(touch: Touchpoint, appId: string, at: number): boolean {
  return touch.app_id === appId && touch.fraud_reason === '' && touch.ts < at;
}

/** Latest touch wins; equal times fall to the larger touch_id so the answer never depends on input order. */
export function latestTouch(touches: readonly Touchpoint[]): Touchpoint | null {
  let best: Touchpoint | null = null;
  for (const t of touches) {
    if (!best || t.ts > best.ts || (t.ts === best.ts && t.touch_id > best.touch_id)) best = t;
  }
  return best;
}

interface Tier {
  match_type: TierMatch['match_type'];
  matches: (touch: Touchpoint) => boolean;
}

function tiersFor(install: Install, settings: AppAttributionSettings): Tier[] {
  const clickIds = installClickIds(install);
  const adId = normalizeAdvertisingId(install.advertising_id);
  const ip = canonicalIp(install.ip);
  const os = normalizeOsVersion(install.os_version);
  const at = install.ts;
  const sameDevice = (t: Touchpoint) => adId !== '' && normalizeAdvertisingId(t.advertising_id) === adId;

  return [
    {
      match_type: 'referrer',
      matches: (t) => t.kind === 'click' && clickIds.has(t.touch_id) && isInsideWindow(t.ts, at, clickWindowMs(t, settings)),
    },
    {
      match_type: 'device_id',
      matches: (t) => t.kind === 'click' && sameDevice(t) && isInsideWindow(t.ts, at, clickWindowMs(t, settings)),
    },
    {
      match_type: 'probabilistic',
      // All three signals must be known: an empty IP or OS version matching another empty one proves nothing.
      matches: (t) =>
        settings.probabilistic_enabled &&
        t.kind === 'click' &&
        ip !== '' &&
        os !== '' &&
        canonicalIp(t.ip) === ip &&
        t.platform === install.platform &&
        normalizeOsVersion(t.os_version) === os &&
        isInsideWindow(t.ts, at, probabilisticWindowMs(t, settings)),
    },
    {
      match_type: 'view_through',
      matches: (t) => t.kind === 'impression' && sameDevice(t) && isInsideWindow(t.ts, at, viewWindowMs(t, settings)),
    },
  ];
}

/**
 * docs/attribution-rules.md tiers, strongest first: referrer click, device-id click, probabilistic click,
 * device-id impression. The first tier with any match decides; inside it the latest touch wins.
 */
export function findWinner(install: Install, touchpoints: readonly Touchpoint[], settings: AppAttributionSettings): TierMatch | null {
  const eligible = touchpoints.filter((t) => isEligibleTouch(t, install.app_id, install.ts));
  for (const tier of tiersFor(install, settings)) {
    const winner = latestTouch(eligible.filter(tier.matches));
    if (winner) return { match_type: tier.match_type, winner };
  }
  return null;
}
