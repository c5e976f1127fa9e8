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
  insertEvents(events: readonly AppEvent[]): Promise<void>;
  insertIdentities(items: readonly IdentityUpdate[]): Promise<void>;
  /**
   * Which of these ids are already stored (`${app_id}\u0000${event_id}` keys), for replaying
   * the log tail after a crash without storing anything twice.
   */
  existingIds(table: 'events' | 'identities', keys: readonly { app_id: string; event_id: string }[]): Promise<Set<string>>;
  /** Every id received since `sinceMs`, to warm the dedupe index on start. */
  recentIds(sinceMs: number): AsyncIterable<StoredId[]>;
  overview(appId: string, range: TimeRange): Promise<EventOverview>;
  /** Throws when the store cannot answer (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function idKey(appId: string, eventId: string): string {
  return `${appId}\u0000${eventId}`;
}
