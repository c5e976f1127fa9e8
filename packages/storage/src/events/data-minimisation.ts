import type { SqlRunner } from './person-erase.ts';
import { ROLLUPS } from './rollups.ts';

/**
 * Retention and IP minimisation in the event store (docs/privacy.md), as plain ClickHouse SQL
 * for chDB and a ClickHouse server alike.
 *
 * IPs: a full address is kept only while a rule may need it — a touch's for the probabilistic
 * window (24 h), an install's until it is decided (it is decided before it is stored, so an
 * hour of slack is plenty). After that the row keeps the /24 (IPv4) or /48 (IPv6) prefix:
 * enough for the fraud report's evidence and network-level analysis, not enough to single out
 * a household. The statements are mutations (`ALTER TABLE … UPDATE`) run by a scheduled job; a
 * part without a full address left in range is not rewritten.
 */

/** `ip` cut to its /24 or /48 prefix; IPv4-mapped IPv6 keeps its /24 too; anything else unchanged. */
export const IP_PREFIX_SQL = `if(isIPv4String(ip), IPv4NumToString(toIPv4(bitAnd(toUInt32(toIPv4(ip)), 4294967040))),
  if(isIPv6String(ip), cutIPv6(toIPv6(ip), 10, 1), ip))`;

/** How long each table keeps full IPs after its time column (ms). */
export const FULL_IP_KEPT_MS = { clicks: 86_400_000, impressions: 86_400_000, events: 3_600_000, installs: 3_600_000 } as const;
const TIME_COLUMN = { clicks: 'ts', impressions: 'ts', events: 'received_at', installs: 'decided_at' } as const;

/** Cuts full IPs older than their keep time to prefixes, in every table that stores one. */
export async function minimiseIps(db: SqlRunner, now: number): Promise<void> {
  for (const [table, keep] of Object.entries(FULL_IP_KEPT_MS) as [keyof typeof FULL_IP_KEPT_MS, number][]) {
    await db.run(
      `ALTER TABLE ${table} UPDATE ip = ${IP_PREFIX_SQL}
       WHERE ${TIME_COLUMN[table]} < fromUnixTimestamp64Milli({before:Int64}, 'UTC') AND ip != '' AND ip != ${IP_PREFIX_SQL}
       SETTINGS mutations_sync = 1`,
      { before: Math.floor(now - keep) },
    );
  }
}

/** Rows dropped per table by one app's retention. */
export type RetentionCounts = Record<'events' | 'identities' | 'installs' | 'clicks' | 'impressions', number>;

const RETENTION_TIME = { events: 'ts', identities: 'ts', installs: 'installed_at', clicks: 'ts', impressions: 'ts' } as const;

const CUTOFF = `fromUnixTimestamp64Milli({before:Int64}, 'UTC')`;
/** Where a rollup's rows end by its grain: its hours before the cutoff; its months before the cutoff's month. */
const ROLLUP_CUTOFF = { hour: CUTOFF, month: `toStartOfMonth(${CUTOFF})` } as const;

/**
 * Drops an app's rows older than `cutoff` (epoch ms, rounded down to a UTC day so the
 * rollups' hours and the raw rows end at the same instant) from every raw table and every
 * rollup of ROLLUPS, by its time bucket. `device_months` keeps the cutoff's own month (its day
 * bits before the cutoff stay: hashed device keys, no identifier), and drops the months before.
 */
export async function dropOlderThan(db: SqlRunner, appId: string, cutoff: number): Promise<RetentionCounts> {
  const day = Math.floor(cutoff / 86_400_000) * 86_400_000;
  const params = { app: appId, before: day };
  const before = (column: string, end = CUTOFF) => `app_id = {app:String} AND ${column} < ${end}`;
  const counts = { events: 0, identities: 0, installs: 0, clicks: 0, impressions: 0 } as RetentionCounts;
  for (const [table, column] of Object.entries(RETENTION_TIME) as [keyof RetentionCounts, string][]) {
    const [row] = await db.rows(`SELECT count() AS n FROM ${table} WHERE ${before(column)}`, params);
    counts[table] = Number(row?.n ?? 0);
    if (counts[table] > 0) await db.run(`DELETE FROM ${table} WHERE ${before(column)}`, params);
  }
  for (const { table, bucket } of ROLLUPS) {
    await db.run(`DELETE FROM ${table} WHERE ${before(bucket, ROLLUP_CUTOFF[bucket])}`, params);
  }
  return counts;
}
