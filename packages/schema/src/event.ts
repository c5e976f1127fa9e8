import type { TouchItem } from './touch.ts';

/**
 * The one internal shape every wire format (native, Segment, PostHog) is normalized into.
 * Times are epoch milliseconds (UTC); absent strings are '' so rows map 1:1 onto
 * ClickHouse columns without Nullable.
 */
export type Platform = 'ios' | 'android' | 'web';
export const PLATFORMS: readonly Platform[] = ['ios', 'android', 'web'];

export type EventType = 'install' | 'open' | 'event';
export type WireSource = 'native' | 'segment' | 'posthog';

export interface InstallReferrer {
  referrer: string;
  /** seconds, as Google Play reports them */
  click_ts: number | null;
  install_begin_ts: number | null;
}

export interface AppEvent {
  kind: 'event';
  app_id: string;
  event_id: string;
  type: EventType;
  /** `install` / `open` for those types, else the event name (`purchase`, `screen`, …) */
  name: string;
  /** device time after clock-skew correction */
  timestamp: number;
  received_at: number;
  device_id: string;
  advertising_id: string;
  platform: Platform;
  os_version: string;
  model: string;
  app_version: string;
  locale: string;
  user_id: string;
  ip: string;
  user_agent: string;
  click_id: string;
  install_referrer: InstallReferrer | null;
  revenue: number;
  currency: string;
  properties: Record<string, unknown>;
  source: WireSource;
}

/** Segment identify/alias/group and PostHog `$set`: who the device is, not something it did. */
export interface IdentityUpdate {
  kind: 'identity';
  app_id: string;
  event_id: string;
  /** identify | alias | group | set */
  action: string;
  timestamp: number;
  received_at: number;
  device_id: string;
  user_id: string;
  /** alias: the previous id; group: the group id */
  previous_id: string;
  traits: Record<string, unknown>;
  source: WireSource;
}

/** What an SDK sends (any of the three wire formats). */
export type SdkItem = AppEvent | IdentityUpdate;

/**
 * What the durable log carries: SDK items plus clicks and impressions from tracking links.
 * `trace` is the W3C traceparent of the ingest request, set only when tracing is on, so the
 * pipeline's and the postback's spans join the same trace; stores do not keep it.
 */
export type IngestItem = (SdkItem | TouchItem) & { trace?: string };
