import { EVENT_TABLES, type EventTable, ID_COLUMNS } from './clickhouse-schema.ts';
import type { StoredId } from './event-store.ts';

/**
 * The event store's read queries, written once for chDB and a ClickHouse server. Every input
 * is a `{name:Type}` parameter; times travel as epoch-ms `Int64` and are turned into
 * DateTime64 by the engine, so the sort key still prunes the range.
 */

/** `{app:String}`, `{ids:Array(String)}`: the ids of that app already stored in each table. */
export const EXISTING_IDS_SQL = Object.fromEntries(
  EVENT_TABLES.map((t) => [
    t,
    `SELECT DISTINCT ${ID_COLUMNS[t]} FROM ${t} WHERE app_id = {app:String} AND ${ID_COLUMNS[t]} IN {ids:Array(String)}`,
  ]),
) as Record<EventTable, string>;

/** How late a server-to-server touch may be reported (the ingest routes refuse older ones). */
const TOUCH_REPORT_DELAY_MS = 30 * 86_400_000;

/**
 * The ids a restart must still call duplicates: events and identities received since `since`,
 * and the clicks and impressions that may have been. Touches carry no receipt time, only their
 * click time, and a network may report one up to 30 days after it happened (the S2S routes'
 * limit): a touch is listed if it could have been received since `since`, at the latest time it
 * could have been (click time + 30 days, not after now), so it is remembered at least as long.
 * The ms column is aliased `received_ms`: in ClickHouse an alias is visible in WHERE, and one
 * named `received_at` would silently replace the column the range is tested on.
 */
export const RECENT_IDS_SQL = `
SELECT app_id, event_id, toUnixTimestamp64Milli(received_at) AS received_ms
FROM events WHERE received_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
UNION ALL
SELECT app_id, event_id, toUnixTimestamp64Milli(received_at) AS received_ms
FROM identities WHERE received_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
UNION ALL
${['clicks', 'impressions']
  .map(
    (
      t,
    ) => `SELECT app_id, click_id AS event_id, least(toUnixTimestamp64Milli(ts) + ${TOUCH_REPORT_DELAY_MS}, toUnixTimestamp64Milli(now64(3))) AS received_ms
FROM ${t} WHERE ts >= fromUnixTimestamp64Milli({since:Int64} - ${TOUCH_REPORT_DELAY_MS}, 'UTC')`,
  )
  .join('\nUNION ALL\n')}`;

/** A row of RECENT_IDS_SQL as the id it remembers. */
export function storedIdOf(row: { app_id: string; event_id: string; received_ms: string | number }): StoredId {
  return { app_id: row.app_id, event_id: row.event_id, received_at: toNumber(row.received_ms, 'received_ms') };
}

export const PING_SQL = 'SELECT 1 AS ok';

/** `{name:String}`: 1 when a table or view of that name is in the current database. */
export const OBJECT_EXISTS_SQL = 'SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = {name:String}';

/**
 * A count or sum from a JSON result as a JS number. 64-bit integers arrive as strings
 * (`output_format_json_quote_64bit_integers=1`, so nothing above 2^53 is silently rounded by
 * JSON.parse); anything that is not a finite number is a bug worth failing on.
 */
export function toNumber(value: unknown, what: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(`event store returned a non-numeric ${what}: ${JSON.stringify(value)}`);
  }
  return n;
}

/** An epoch-ms bound for an `Int64` parameter: finite, whole. */
export function toMillisParam(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite epoch-ms time, got ${value}`);
  return Math.floor(value);
}
