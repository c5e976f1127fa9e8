/** What the planner produces and the sender plays back. Times are epoch milliseconds (UTC). */

export interface LinkSpec {
  /** the planner's handle; links are found again by `name` on a re-run */
  key: string;
  name: string;
  media_source: string;
  campaign: string;
  is_retargeting: boolean;
}

export interface Device {
  id: string;
  platform: 'ios' | 'android';
  os_version: string;
  model: string;
  locale: string;
  /** '' when the user opted out of tracking */
  advertising_id: string;
  ip: string;
  user_agent: string;
}

/** A click or impression reported server to server (`POST /v1/clicks` / `/v1/impressions`). */
export interface PlannedTouch {
  kind: 'click' | 'impression';
  link: string;
  ts: number;
  ip: string;
  user_agent: string;
  advertising_id: string;
  /** the network's own id: a re-run reports the same touch, the server keeps it once */
  network_click_id: string;
  ad_set: string;
  ad: string;
  site_id: string;
  /** part of a click flood: sent one by one, in time order, after the rest (ingest-sender.ts says why) */
  burst?: boolean;
}

/** A Play install referrer pointing at a planned touch, whose id the server only tells when it is sent. */
export interface ReferrerDraft {
  touch: number;
  utm_source: string;
  click_ts: number;
  install_begin_ts: number;
}

/** One native event (`POST /v1/events/batch`), before the click ids it may refer to are known. */
export interface PlannedEvent {
  event_id: string;
  type: 'install' | 'open' | 'event';
  name?: string;
  ts: number;
  device: Device;
  app_version: string;
  user_id?: string;
  revenue?: number;
  properties?: Record<string, string | number | boolean>;
  referrer?: ReferrerDraft;
}

/** A click through the public tracking URL now, perhaps followed by an install a few seconds later. */
export interface LiveClick {
  link: string;
  touch: 'click' | 'impression';
  ip: string;
  user_agent: string;
  network_click_id: string;
  site_id: string;
  install?: { event_id: string; device: Device; ctit_ms: number; app_version: string };
}

export interface CostDraft {
  date: string;
  media_source: string;
  campaign: string;
  cost: number;
}

export type FraudKind = 'ctit_too_short' | 'click_injection' | 'blocked_ip';

/** What the plan intends; the server decides, and the demo reports what it decided. */
export interface PlanTotals {
  /** first installs of distinct devices, whatever their fate */
  devices: number;
  organic: number;
  /** installs a touch should win and no fraud rule should reject */
  attributed: number;
  rejected: Record<FraudKind, number>;
  reinstalls: number;
  reengagements: number;
  purchases: number;
  revenue: number;
  clicks: number;
  /** clicks sent in floods beyond what the rule lets count */
  flood_clicks: number;
  /** clicks from the device farm's blocked range: they do not count (`blocked_ip`) */
  blocked_clicks: number;
  impressions: number;
  events: number;
  cost: number;
}

export interface DemoPlan {
  /** first moment of the planned period (a UTC midnight) and its end (the anchor) */
  start: number;
  end: number;
  links: LinkSpec[];
  /** in the order planned (a referrer names its touch by index); the sender plays them by time */
  touches: PlannedTouch[];
  /** sorted by time */
  events: PlannedEvent[];
  live: LiveClick[];
  costs: CostDraft[];
  blocked_cidrs: string[];
  totals: PlanTotals;
}
