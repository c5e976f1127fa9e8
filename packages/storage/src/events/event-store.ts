import type { AppEvent, IdentityUpdate } from '@unmogrowp/schema';

/** A time range, epoch ms, `to` exclusive (API.md §4). */
export interface TimeRange {
  from: number;
  to: number;
}

export interface StoredId {
  app_id: string;
  event_id: string;
  received_at: number;
}

/** Attribution an event inherits from its device's install or re-engagement (API.md §3). */
export interface EventAttribution {
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  link_id: string;
}

/** An event as stored: the ingested event plus, once known, the attribution it inherits ('' otherwise). */
export type StoredEvent = AppEvent & { attribution?: EventAttribution };

export interface EventOverview {
  total_events: number;
  active_users: number;
  total_revenue: number;
}

/**
 * The event store port (ARCHITECTURE.md): the analytics engine's tables and queries.
 * Adapters: chDB embedded (`chdb-event-store.ts`); a ClickHouse-server adapter runs the same
 * SQL and the same contract suite later.
 */
export interface EventStore {
  /** Creates databases/tables if missing; safe to run on every start. */
  migrate(): Promise<void>;
  /** One insert per call: pass a whole batch, never one event at a time. */
  insertEvents(events: readonly StoredEvent[]): Promise<void>;
  insertIdentities(items: readonly IdentityUpdate[]): Promise<void>;
  /**
   * Which of these ids are already stored (`${app_id}\u0000${event_id}` keys), for replaying
   * the log tail after a crash without storing anything twice.
   */
  existingIds(table: 'events' | 'identities', keys: readonly { app_id: string; event_id: string }[]): Promise<Set<string>>;
  /**
   * Every id (events and identities) received at or after `sinceMs`, in chunks, to warm the
   * dedupe index on start. Other calls go on meanwhile; a second scan waits for this one to be
   * finished or broken off; close() ends it.
   */
  recentIds(sinceMs: number): AsyncIterable<StoredId[]>;
  overview(appId: string, range: TimeRange): Promise<EventOverview>;
  /** Throws when the store cannot answer (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function idKey(appId: string, eventId: string): string {
  return `${appId}\u0000${eventId}`;
}
