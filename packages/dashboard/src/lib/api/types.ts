/** Wire shapes of docs/api.md §4 as the dashboard reads them. Optional fields are ones docs/api.md does not promise. */

export type GlobalRole = 'admin' | 'user';
export type MemberRole = 'manager' | 'analyst';
export type Platform = 'ios' | 'android' | 'web';

export interface User {
  id: string;
  email: string;
  name: string;
  role: GlobalRole;
  disabled: boolean;
  created_at: string;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
  user?: User;
}

export interface App {
  id: string;
  name: string;
  platforms: Platform[];
  bundle_id?: string | null;
  store_url_ios?: string | null;
  store_url_android?: string | null;
  web_url?: string | null;
  created_at?: string;
  /** the caller's role in this app, when the API says it (assumption; see README) */
  role?: MemberRole | null;
  sdk_key?: string;
  /** where the server says apps send events (its PUBLIC_INGEST_URL), from the app's answer */
  ingest_url?: string;
  /** free-form on the wire; `retention_days` is read from here (default 400) */
  settings?: { deep_linking?: DeepLinkingSettings } & Record<string, unknown>;
}

/** docs/deep-links.md: what the click domain's association documents are built from. */
export interface DeepLinkingSettings {
  ios: { team_id: string; bundle_id: string } | null;
  android: { package_name: string; sha256_cert_fingerprints: string[] } | null;
}

export interface NewApp {
  name: string;
  platforms: Platform[];
  bundle_id?: string;
  store_url_ios?: string;
  store_url_android?: string;
  web_url?: string;
}

/** `PATCH /api/apps/:app_id`: null clears an optional URL. */
export interface AppPatch {
  name?: string;
  bundle_id?: string | null;
  store_url_ios?: string | null;
  store_url_android?: string | null;
  web_url?: string | null;
  /** merged deeply into the stored settings */
  settings?: { deep_linking?: Partial<DeepLinkingSettings> } & Record<string, unknown>;
}

/** `POST /api/apps` and `POST …/keys`: the server key is shown here once and never again. */
export interface AppKeys {
  sdk_key: string;
  server_key: string;
  /** where the server says apps send events; absent from an older server */
  ingest_url?: string;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: MemberRole;
  created_at?: string;
}

export type LinkPlatform = 'ios' | 'android' | 'web';

export interface LinkFields {
  name: string;
  media_source: string;
  campaign: string;
  ad_set?: string | null;
  ad?: string | null;
  site_id?: string | null;
  destinations?: Partial<Record<LinkPlatform, string | null>>;
  click_window_hours?: number | null;
  view_window_hours?: number | null;
  is_retargeting?: boolean;
  enabled?: boolean;
  /** docs/deep-links.md: what the app receives after the install or with an open */
  deep_link?: DeepLink | null;
}

export interface DeepLink {
  value: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  path: string | null;
}

export interface Link extends LinkFields {
  id: string;
  enabled: boolean;
  created_at?: string;
  updated_at?: string;
}

/** A link with the URLs to place in ads (both come from the API: they live on the ingest host). */
export interface LinkView {
  link: Link;
  click_url: string | null;
  impression_url: string | null;
}

export interface Partner {
  media_source: string;
  url: string;
  method: 'GET' | 'POST';
  events: string[];
  enabled: boolean;
  updated_at?: string;
}

export interface PostbackAttempt {
  attempt: number;
  at: string | number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export type PostbackStatus = 'pending' | 'delivered' | 'failed';

export interface Postback {
  id: string;
  media_source: string;
  event_name: string;
  method: 'GET' | 'POST';
  url: string;
  status: PostbackStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string | number;
  delivered_at?: string | number | null;
  next_attempt_at?: string | number | null;
  attempts_log?: PostbackAttempt[];
}

export interface Overview {
  total_events: number;
  active_users: number;
  total_revenue: number;
  installs: number;
  organic_installs: number;
  non_organic_installs: number;
  rejected_installs: number;
  reinstalls: number;
  clicks: number;
  impressions: number;
  /** re-engagements decided in the range (docs/attribution-rules.md) */
  reengagements: number;
  /** new installs that were re-attributions (a part of `installs`) */
  reattributions: number;
  /** the reporting currency `total_revenue` is in */
  currency: string;
  /** amounts left out of `total_revenue` because their day has no exchange rate */
  missing_rates: MissingRate[];
}

/** A currency's days (inclusive) without an exchange rate into the reporting currency: not in any total. */
export interface MissingRate {
  currency: string;
  from: string;
  to: string;
}

/** Money figures of an answer: the currency they are in, and what could not be converted. */
export interface MoneyContext {
  currency: string;
  missing_rates: MissingRate[];
}

export const GROUP_BY_FIELDS = ['media_source', 'campaign', 'ad_set', 'ad', 'site_id'] as const;
export type GroupByField = (typeof GROUP_BY_FIELDS)[number];

export interface AttributionRow extends Partial<Record<GroupByField, string | null>> {
  clicks: number;
  impressions: number;
  installs: number;
  conversion_rate: number | null;
  revenue: number;
  cost: number;
  roas: number | null;
  ecpi: number | null;
  reengagements: number;
  reattributions: number;
}

export type TimeseriesMetric = 'installs' | 'events' | 'revenue' | 'active_users';
export type Interval = 'day' | 'hour';

export interface TimePoint {
  t: string;
  value: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  resource: string | null;
  success: boolean;
  ip: string | null;
  user_agent: string | null;
  details?: Record<string, unknown>;
  hash?: string;
  prev_hash?: string;
}

export interface AuditVerify {
  ok: boolean;
  entries: number;
  first_bad_id?: string | null;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  user_id?: string;
  action?: string;
  limit?: number;
}

/** GET /api/admin/system (admins). */
export interface SystemStatus {
  role: string;
  generated_at: string;
  ready: boolean;
  dependencies: { name: string; ok: boolean; reason: string | null; checked_at: string | null }[];
  pipeline: { lag_seconds: number; lag_records: number };
  ingest: {
    window_minutes: number;
    requests_per_minute: number;
    error_ratio: number;
    minutes: { t: number; requests: number; errors: number }[];
  };
  postbacks: { pending: number; oldest_pending_age_seconds: number };
  disk: { path: string; free_bytes: number | null; total_bytes: number | null };
  audit_chain: { ok: boolean | null; entries: number | null; verified_at: string | null; first_bad_id: string | null };
}
