/**
 * The nouns of attribution. Times are epoch milliseconds (UTC) unless a field says otherwise;
 * absent strings are '' (the same convention as @unmogrowp/schema, so rows map onto columns 1:1).
 * `Platform` and `InstallReferrer` repeat the schema's shapes on purpose: this package depends on nothing.
 */
export type Platform = 'ios' | 'android' | 'web';

export type MatchType = 'referrer' | 'device_id' | 'probabilistic' | 'view_through' | 'none';
export type InstallStatus = 'attributed' | 'organic' | 'rejected' | 'reinstall';
export type InstallFraudReason = 'ctit_too_short' | 'click_injection' | 'blocked_ip';
export type ClickFraudReason = 'click_flood';
export type FraudReason = InstallFraudReason | ClickFraudReason;

/** A recorded click or impression, with the windows of its link already resolved (see resolveTouchWindows). */
export interface Touchpoint {
  kind: 'click' | 'impression';
  /** our click/impression id; the id a Play referrer or deep link carries back */
  touch_id: string;
  app_id: string;
  link_id: string;
  ts: number;
  advertising_id: string;
  ip: string;
  platform: Platform;
  os_version: string;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  /** the ad network's own click id, echoed in postbacks as {click_id} */
  network_click_id: string;
  is_retargeting: boolean;
  /** 0 = the app's setting applies */
  click_window_ms: number;
  /** 0 = the app's setting applies */
  view_window_ms: number;
  /** '' when the touch counts; otherwise why it does not (e.g. 'click_flood') */
  fraud_reason: string;
}

/** Google Play Install Referrer as the SDK reports it: timestamps in SECONDS. */
export interface InstallReferrer {
  referrer: string;
  click_ts: number | null;
  install_begin_ts: number | null;
}

/** The first install (or first open) of an (app, device), as the attribution engine sees it. */
export interface Install {
  app_id: string;
  device_id: string;
  advertising_id: string;
  ts: number;
  ip: string;
  platform: Platform;
  os_version: string;
  install_referrer: InstallReferrer | null;
  /** our click id, when the app received it through a deep link */
  click_id: string;
}

/** Who gets the credit: what events inherit and analytics group by. */
export interface Credit {
  /** 'organic' for organic installs */
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  link_id: string;
  /** our click id of the winning touch */
  click_id: string;
  network_click_id: string;
}

/** One installs row (docs/api.md §4) minus the ids the pipeline owns. */
export interface Attribution extends Credit {
  status: InstallStatus;
  match_type: MatchType;
  touch_at: number | null;
  /** whole seconds from the winning touch to the install */
  ctit_seconds: number | null;
  fraud_reason: InstallFraudReason | '';
  /** a previously installed device attributed afresh after its re-attribution window */
  is_reattribution: boolean;
}

export interface InstallDecision extends Attribution {
  /** the touch that won, also when the install was rejected (the fraud report shows it) */
  winner: Touchpoint | null;
}

/** The device's earlier install, for the reinstall / re-attribution decision. */
export interface PriorInstall {
  installed_at: number;
  attribution: Attribution;
}
