import { pickCredit } from './credit.ts';
import type { AppAttributionSettings } from './settings.ts';
import type { Credit } from './types.ts';
import { DAY_MS } from './windows.ts';

/** A re-engagement that happened: the open's time and whom it credits. */
export interface Reengagement {
  at: number;
  credit: Credit;
}

export interface ActiveAttribution {
  source: 'install' | 'reengagement';
  credit: Credit;
  /** when the re-engagement began; null when the install's attribution applies */
  reengaged_at: number | null;
}

/**
 * Whose credit an event carries (docs/attribution-rules.md "Events inherit"): the latest re-engagement at or before the
 * event whose window (default 30 days, inclusive at both ends) still covers it, else the install's.
 */
export function activeAttribution(
  eventTs: number,
  install: Credit,
  reengagements: readonly Reengagement[],
  settings: AppAttributionSettings,
): ActiveAttribution {
  const windowMs = settings.reengagement_window_days * DAY_MS;
  let best: Reengagement | null = null;
  for (const r of reengagements) {
    const age = eventTs - r.at;
    if (age < 0 || age > windowMs) continue;
    if (!best || r.at > best.at) best = r;
  }
  return best
    ? { source: 'reengagement', credit: pickCredit(best.credit), reengaged_at: best.at }
    : { source: 'install', credit: pickCredit(install), reengaged_at: null };
}
