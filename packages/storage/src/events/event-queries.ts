/**
 * The event store's read queries, written once for chDB and a ClickHouse server. Every input
 * is a `{name:Type}` parameter; times travel as epoch-ms `Int64` and are turned into
 * DateTime64 by the engine, so the sort key still prunes the range.
 */

/** `{app:String}`, `{from:Int64}`, `{to:Int64}`; `to` exclusive. */
export const OVERVIEW_SQL = `
SELECT
  count() AS total_events,
  uniqExact(device_id) AS active_users,
  round(sum(revenue), 6) AS total_revenue
FROM events
WHERE app_id = {app:String}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;

/** `{app:String}`, `{ids:Array(String)}`: the ids of that app already stored. */
export const EXISTING_IDS_SQL = {
  events: 'SELECT DISTINCT event_id FROM events WHERE app_id = {app:String} AND event_id IN {ids:Array(String)}',
  identities: 'SELECT DISTINCT event_id FROM identities WHERE app_id = {app:String} AND event_id IN {ids:Array(String)}',
} as const;

/**
 * `{since:Int64}`: every (app, id) received at or after it, events and identities alike.
 * The ms column is aliased `received_ms`: in ClickHouse an alias is visible in WHERE, and one
 * named `received_at` would silently replace the column the range is tested on.
 */
export const RECENT_IDS_SQL = `
SELECT app_id, event_id, toUnixTimestamp64Milli(received_at) AS received_ms
FROM events WHERE received_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
UNION ALL
SELECT app_id, event_id, toUnixTimestamp64Milli(received_at) AS received_ms
FROM identities WHERE received_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')`;

export const PING_SQL = 'SELECT 1 AS ok';

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
