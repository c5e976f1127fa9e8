import type { Platform } from './event.ts';

/**
 * A click or an impression, recorded from a tracking link (`GET /c/:link`, `/i/:link`) or sent
 * server-to-server (`POST /v1/clicks`, `/v1/impressions`). It travels through the same durable
 * log as events; `event_id` is our click id (so dedupe and replay treat it like any item).
 */
export interface TouchItem {
  kind: 'touch';
  touch: 'click' | 'impression';
  app_id: string;
  /** our click/impression id; also `click_id` below */
  event_id: string;
  click_id: string;
  link_id: string;
  timestamp: number;
  received_at: number;
  ip: string;
  user_agent: string;
  advertising_id: string;
  platform: Platform;
  os_version: string;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  sub1: string;
  sub2: string;
  sub3: string;
  sub4: string;
  sub5: string;
  /** the network's own click id (`click_id` query parameter), echoed in postbacks */
  network_click_id: string;
  is_retargeting: boolean;
  /** the link's windows, resolved against the app's settings when recorded */
  click_window_ms: number;
  view_window_ms: number;
  /** query parameters we do not map, kept as given */
  params: Record<string, string>;
  /** '' unless a fraud rule refused it (set by the pipeline: click_flood) */
  fraud_reason: string;
}
