import { type CidrSet, ipInCidrSet } from './cidr.ts';
import type { AppAttributionSettings } from './settings.ts';
import type { Install, InstallFraudReason, Touchpoint } from './types.ts';

export type BlockList = CidrSet | readonly string[];

/**
 * Which fraud rule, if any, rejects this install. One reason is stored, so the order is the order of
 * certainty:
 *   1. blocked_ip      — the install itself comes from a blocked range; applies with or without a winner
 *                        (an install from a data centre is not an organic user either).
 *   2. click_injection — the referrer's click came after the download began (Play's own timestamps), or
 *                        the winning click did. Proof of a manipulated click, so it outranks the heuristic.
 *   3. ctit_too_short  — the winning click is less than ctit_min_seconds before the install (clicks only:
 *                        an impression shortly before an install is ordinary).
 */
export function installFraudReason(
  install: Install,
  winner: Touchpoint | null,
  settings: AppAttributionSettings,
  globalBlocked: BlockList,
): InstallFraudReason | '' {
  const fraud = settings.fraud;
  if (fraud.blocked_ip_enabled && isBlockedIp(install.ip, fraud.blocked_cidrs, globalBlocked)) return 'blocked_ip';
  if (!winner) return '';
  if (fraud.click_injection_enabled && isClickInjection(install, winner)) return 'click_injection';
  if (fraud.ctit_enabled && winner.kind === 'click' && install.ts - winner.ts < fraud.ctit_min_seconds * 1000) return 'ctit_too_short';
  return '';
}

export function isBlockedIp(ip: string, appBlocked: BlockList, globalBlocked: BlockList): boolean {
  return ipInCidrSet(ip, appBlocked) || ipInCidrSet(ip, globalBlocked);
}

function knownSeconds(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/**
 * Play reports whole seconds, so the winning click is compared at second resolution: a click in the same
 * second as the download began is not called injected.
 */
export function isClickInjection(install: Install, winner: Touchpoint): boolean {
  const ref = install.install_referrer;
  if (!ref || !knownSeconds(ref.install_begin_ts)) return false;
  if (knownSeconds(ref.click_ts) && ref.click_ts > ref.install_begin_ts) return true;
  return winner.kind === 'click' && Math.floor(winner.ts / 1000) > ref.install_begin_ts;
}
