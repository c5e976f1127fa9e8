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

/** What the tiers compare a touch with, normalised once per install. */
interface InstallKeys {
  clickIds: Set<string>;
  adId: string;
  ip: string;
  os: string;
  at: number;
  platform: Install['platform'];
  settings: AppAttributionSettings;
}

interface Tier {
  match_type: TierMatch['match_type'];
  matches: (touch: Touchpoint, install: InstallKeys) => boolean;
}

function installKeys(install: Install, settings: AppAttributionSettings): InstallKeys {
  return {
    clickIds: installClickIds(install),
    adId: normalizeAdvertisingId(install.advertising_id),
    ip: canonicalIp(install.ip),
    os: normalizeOsVersion(install.os_version),
    at: install.ts,
    platform: install.platform,
    settings,
  };
}

function sameDevice(t: Touchpoint, k: InstallKeys): boolean {
  return k.adId !== '' && normalizeAdvertisingId(t.advertising_id) === k.adId;
}

/**
 * The tiers, built once: the predicates take the install's keys as an argument instead of
 * closing over them, so deciding an install creates no functions (each one a name to define
 * and garbage to collect, on the path every install takes).
 */
const TIERS: readonly Tier[] = [
  {
    match_type: 'referrer',
    matches: (t, k) => t.kind === 'click' && k.clickIds.has(t.touch_id) && isInsideWindow(t.ts, k.at, clickWindowMs(t, k.settings)),
  },
  {
    match_type: 'device_id',
    matches: (t, k) => t.kind === 'click' && sameDevice(t, k) && isInsideWindow(t.ts, k.at, clickWindowMs(t, k.settings)),
  },
  {
    match_type: 'probabilistic',
    // All three signals must be known: an empty IP or OS version matching another empty one proves nothing.
    matches: (t, k) =>
      k.settings.probabilistic_enabled &&
      t.kind === 'click' &&
      k.ip !== '' &&
      k.os !== '' &&
      canonicalIp(t.ip) === k.ip &&
      t.platform === k.platform &&
      normalizeOsVersion(t.os_version) === k.os &&
      isInsideWindow(t.ts, k.at, probabilisticWindowMs(t, k.settings)),
  },
  {
    match_type: 'view_through',
    matches: (t, k) => t.kind === 'impression' && sameDevice(t, k) && isInsideWindow(t.ts, k.at, viewWindowMs(t, k.settings)),
  },
];

/**
 * docs/attribution-rules.md tiers, strongest first: referrer click, device-id click, probabilistic click,
 * device-id impression. The first tier with any match decides; inside it the latest touch wins.
 */
export function findWinner(install: Install, touchpoints: readonly Touchpoint[], settings: AppAttributionSettings): TierMatch | null {
  const eligible = touchpoints.filter((t) => isEligibleTouch(t, install.app_id, install.ts));
  const keys = installKeys(install, settings);
  for (const tier of TIERS) {
    const winner = latestTouch(eligible.filter((t) => tier.matches(t, keys)));
    if (winner) return { match_type: tier.match_type, winner };
  }
  return null;
}
