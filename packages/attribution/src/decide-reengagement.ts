import { creditOf } from './credit.ts';
import { normalizeAdvertisingId } from './device-ids.ts';
import type { AppAttributionSettings } from './settings.ts';
import { isEligibleTouch, latestTouch } from './tiers.ts';
import type { Credit, Touchpoint } from './types.ts';
import { clickWindowMs, isInsideWindow } from './windows.ts';

/** An `open` event of a device that already has an install. */
export interface AppOpen {
  app_id: string;
  device_id: string;
  advertising_id: string;
  ts: number;
  /** our click id, when the open came through a deep link */
  click_id: string;
}

export interface ReengagementContext {
  /** when the device installed: a click before that is acquisition, not re-engagement */
  installed_at: number;
  /** the touch of the re-engagement already credited, if any: it and older clicks cannot start another */
  last_reengagement_touch_at: number | null;
}

export interface ReengagementDecision {
  reengaged: boolean;
  /** 'referrer' = our click id came back through the deep link */
  match_type: 'referrer' | 'device_id' | 'none';
  winner: Touchpoint | null;
  touch_at: number | null;
  credit: Credit | null;
}

const NONE: ReengagementDecision = { reengaged: false, match_type: 'none', winner: null, touch_at: null, credit: null };

/**
 * docs/attribution-rules.md: an open after a click on a retargeting link, inside that link's click window, re-engages the
 * device for that source. Deep-link click id beats advertising id; latest touch inside a tier.
 * No probabilistic tier: crediting a returning user on a shared IP alone would be guesswork.
 */
export function decideReengagement(
  open: AppOpen,
  touchpoints: readonly Touchpoint[],
  context: ReengagementContext,
  settings: AppAttributionSettings,
): ReengagementDecision {
  const since = Math.max(context.installed_at, context.last_reengagement_touch_at ?? Number.NEGATIVE_INFINITY);
  const candidates = touchpoints.filter(
    (t) =>
      t.kind === 'click' &&
      t.is_retargeting &&
      t.ts > since &&
      isEligibleTouch(t, open.app_id, open.ts) &&
      isInsideWindow(t.ts, open.ts, clickWindowMs(t, settings)),
  );
  const clickId = open.click_id.trim();
  const adId = normalizeAdvertisingId(open.advertising_id);
  const tiers: [ReengagementDecision['match_type'], (t: Touchpoint) => boolean][] = [
    ['referrer', (t) => clickId !== '' && t.touch_id === clickId],
    ['device_id', (t) => adId !== '' && normalizeAdvertisingId(t.advertising_id) === adId],
  ];
  for (const [match_type, matches] of tiers) {
    const winner = latestTouch(candidates.filter(matches));
    if (winner) return { reengaged: true, match_type, winner, touch_at: winner.ts, credit: creditOf(winner) };
  }
  return NONE;
}
