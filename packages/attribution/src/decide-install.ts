import { creditOf, ORGANIC_CREDIT, pickCredit } from './credit.ts';
import { type BlockList, installFraudReason } from './install-fraud.ts';
import type { AppAttributionSettings } from './settings.ts';
import { findWinner } from './tiers.ts';
import type { Install, InstallDecision, PriorInstall, Touchpoint } from './types.ts';
import { DAY_MS } from './windows.ts';

/** Inside the re-attribution window (inclusive) a returning device is a reinstall; a prior install "after" this one also is. */
export function isReinstall(install: Install, prior: PriorInstall | null, settings: AppAttributionSettings): boolean {
  return prior !== null && install.ts - prior.installed_at <= settings.reattribution_window_days * DAY_MS;
}

/**
 * The attribution decision for one install (docs/attribution-rules.md). Order:
 *   1. reinstall — a prior install inside the re-attribution window keeps its original attribution; nothing
 *      new is credited, so no fraud rule runs;
 *   2. tiers     — findWinner (referrer > device id > probabilistic > view-through; latest inside a tier);
 *   3. fraud     — installFraudReason (blocked_ip > click_injection > ctit_too_short); a rejected install
 *      keeps its would-be winner and credit for the fraud report;
 *   4. otherwise attributed, or organic when nothing matched.
 * A prior install outside the window makes any fresh outcome a re-attribution (is_reattribution = true).
 */
export function decideInstall(
  install: Install,
  touchpoints: readonly Touchpoint[],
  prior: PriorInstall | null,
  settings: AppAttributionSettings,
  globalBlocked: BlockList = [],
): InstallDecision {
  if (prior && isReinstall(install, prior, settings)) {
    const a = prior.attribution;
    return {
      ...pickCredit(a),
      status: 'reinstall',
      match_type: a.match_type,
      touch_at: a.touch_at,
      ctit_seconds: a.ctit_seconds,
      fraud_reason: a.fraud_reason,
      is_reattribution: false,
      winner: null,
    };
  }
  const is_reattribution = prior !== null;
  const match = findWinner(install, touchpoints, settings);
  const fraud_reason = installFraudReason(install, match?.winner ?? null, settings, globalBlocked);

  if (!match) {
    const rejected = fraud_reason !== '';
    return {
      ...ORGANIC_CREDIT,
      // A rejected install is neither organic nor a network's: it names no source.
      media_source: rejected ? '' : 'organic',
      status: rejected ? 'rejected' : 'organic',
      match_type: 'none',
      touch_at: null,
      ctit_seconds: null,
      fraud_reason,
      is_reattribution,
      winner: null,
    };
  }
  const { winner } = match;
  return {
    ...creditOf(winner),
    status: fraud_reason === '' ? 'attributed' : 'rejected',
    match_type: match.match_type,
    touch_at: winner.ts,
    ctit_seconds: Math.floor((install.ts - winner.ts) / 1000),
    fraud_reason,
    is_reattribution,
    winner,
  };
}
