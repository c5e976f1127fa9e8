/**
 * The shapes the attribution pipeline writes and the analytics routes read (docs/attribution-rules.md and docs/api.md §4).
 * Times going in are epoch ms (UTC); times coming out are ISO-8601 UTC strings with ms.
 * Absent strings are '' going in. Definitions of every count are in the package README
 * ("Analytics definitions"), because the API, the dashboard and the tests must agree on them.
 */

export type InstallRowStatus = 'attributed' | 'organic' | 'rejected' | 'reinstall';
export type InstallMatchType = 'referrer' | 'device_id' | 'probabilistic' | 'view_through' | 'none';

/** A click or an impression as recorded (in an impression, `click_id` is our impression id). */
export interface TouchRow {
  app_id: string;
  click_id: string;
  link_id: string;
  ts: number;
  media_source: string;
  campaign?: string;
  ad_set?: string;
  ad?: string;
  site_id?: string;
  ip?: string;
  user_agent?: string;
  advertising_id?: string;
  platform?: string;
  os_version?: string;
  sub1?: string;
  sub2?: string;
  sub3?: string;
  sub4?: string;
  sub5?: string;
  network_click_id?: string;
  is_retargeting?: boolean;
  /** query parameters we did not understand, kept as they came */
  params?: Record<string, unknown>;
  /** '' (or absent) when the touch counts; else why not, e.g. 'click_flood' */
  fraud_reason?: string;
  /** the link's windows when recorded (0 or absent: the app's setting) */
  click_window_ms?: number;
  view_window_ms?: number;
}

/** The `installs` API row (docs/api.md §4), with times as epoch ms. */
export interface InstallFields {
  install_id: string;
  device_id: string;
  advertising_id: string;
  installed_at: number;
  status: InstallRowStatus;
  match_type: InstallMatchType;
  /** 'organic' (or '') for organic installs; read back as 'organic' */
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  link_id: string;
  click_id: string;
  network_click_id: string;
  touch_at: number | null;
  ctit_seconds: number | null;
  fraud_reason: string;
  is_reattribution: boolean;
}

/** One install decision as the pipeline writes it: the API row plus where it came from. */
export interface InstallRow extends InstallFields {
  app_id: string;
  platform: string;
  ip: string;
  /** the install (or first open) event's id, '' if unknown */
  event_id?: string;
  /** when the decision was made; defaults to `installed_at` */
  decided_at?: number;
}

/** One row of the `installs` export, exactly docs/api.md §4's row. */
export interface InstallExportRow extends Omit<InstallFields, 'installed_at' | 'touch_at'> {
  installed_at: string;
  touch_at: string | null;
}

/** Ad spend of one day, source and campaign (docs/api.md §4 costs import). */
export interface CostRow {
  /** 'YYYY-MM-DD', a UTC day */
  date: string;
  media_source: string;
  /** '' or absent: spend not split by campaign */
  campaign?: string;
  cost: number;
  currency: string;
}

export interface EventOverview {
  total_events: number;
  active_users: number;
  total_revenue: number;
  /** new installs: attributed + organic (not rejected, not reinstalls) */
  installs: number;
  organic_installs: number;
  non_organic_installs: number;
  rejected_installs: number;
  reinstalls: number;
  /** clicks that count (no fraud reason) */
  clicks: number;
  /** impressions that count (no fraud reason) */
  impressions: number;
  /** re-engagements decided in range (a retargeting click won back an installed device's open) */
  reengagements: number;
  /** new installs in range that were re-attributions (counted in `installs` and `non_organic_installs` too) */
  reattributions: number;
}

export const ATTRIBUTION_DIMENSIONS = ['media_source', 'campaign', 'ad_set', 'ad', 'site_id'] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

/** One row of the attribution report; only the dimensions grouped by are present. */
export interface AttributionRow {
  media_source: string;
  campaign?: string;
  ad_set?: string;
  ad?: string;
  site_id?: string;
  clicks: number;
  impressions: number;
  installs: number;
  /** installs / clicks, null without clicks */
  conversion_rate: number | null;
  revenue: number;
  cost: number;
  /** revenue / cost, null without cost */
  roas: number | null;
  /** cost / installs, null without installs */
  ecpi: number | null;
  /** re-engagements credited to this row's attribution in range */
  reengagements: number;
  /** the row's installs that were re-attributions (a subset of `installs`) */
  reattributions: number;
}

/** Days of one currency with money in range and no rate into the reporting currency: left out of converted totals. */
export interface MissingRate {
  currency: string;
  /** first day, 'YYYY-MM-DD' */
  from: string;
  /** last day, 'YYYY-MM-DD', inclusive */
  to: string;
}

export type TimeseriesMetric = 'installs' | 'events' | 'revenue' | 'active_users';
export type TimeseriesInterval = 'day' | 'hour';

export interface TimeseriesPoint {
  /** start of the bucket, ISO-8601 UTC */
  t: string;
  value: number;
}

export interface RetentionCohort {
  /** install day, 'YYYY-MM-DD' (UTC) */
  cohort: string;
  /** present when grouped by media source */
  media_source?: string;
  installs: number;
  /**
   * devices of the cohort active on install day + N, for each N that has begun (N ≤ 30); null
   * while day N has not ended. Day 0 is the install day itself, and the install event does not
   * count: a device counts on day N when it sent an `open` or another event on install day + N.
   */
  days: (number | null)[];
  /** days[N] / installs, 6 decimals; null where days[N] is null or the cohort has no installs */
  rates: (number | null)[];
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface FraudReport {
  rejected_installs: number;
  rejected_clicks: number;
  rejected_impressions: number;
  installs_by_reason: ReasonCount[];
  clicks_by_reason: ReasonCount[];
  impressions_by_reason: ReasonCount[];
  /** per media source and reason: rejected installs, clicks and impressions */
  by_media_source: { media_source: string; reason: string; installs: number; clicks: number; impressions: number }[];
}

/** One tracking link's traffic over a range; conversion is installs / clicks, null without clicks. */
export interface LinkStats {
  link_id: string;
  clicks: number;
  impressions: number;
  installs: number;
  conversion_rate: number | null;
}
