import type { SqlRunner } from './person-erase.ts';
import { ROLLUP_WINDOW, ROLLUPS } from './rollups.ts';

/** Some hours of one app's rollups; each hour as the epoch second it starts at. */
export interface RollupHours {
  app_id: string;
  hours: readonly number[];
}

const HOUR_S = 3600;
const CHUNK = 2000;

/**
 * Makes the rollup rows of these hours agree with the raw rows again.
 *
 * Why it is needed: an insert into a raw table and the inserts its materialized views make are
 * separate parts, committed one after the other (there is no transaction across tables). A
 * process killed between them leaves raw rows without their rollup rows, or rollup rows without
 * their raw rows. The replay after the restart then either finds the raw rows stored and skips
 * them (the views never see them again: the overview misses them for good), or stores the
 * missing raw rows and their views count them a second time.
 *
 * - traffic_hourly and revenue_hourly sum, so their rows of these hours are deleted and summed
 *   again from the raw rows of those hours;
 * - device_hours (one row per device and hour after FINAL) and device_months (OR of day bits,
 *   union of installs) are idempotent: the rows the raw rows of these hours make are inserted
 *   again, and one that was there already changes nothing.
 *
 * The caller keeps this store's inserts out while it runs (a row inserted between an hour's
 * delete and its refill would count twice); other processes must not write meanwhile either.
 */
export async function repairRollupHours(db: SqlRunner, cells: readonly RollupHours[]): Promise<void> {
  for (const { app_id, hours } of cells) {
    const inWindow = [...new Set(hours)]
      .filter((h) => Number.isSafeInteger(h) && h * 1000 >= ROLLUP_WINDOW.from && h * 1000 < ROLLUP_WINDOW.to)
      .sort((a, b) => a - b);
    for (let i = 0; i < inWindow.length; i += CHUNK) {
      const chunk = inWindow.slice(i, i + CHUNK);
      // The bounds let the sort key (app_id, hour of time) prune; the list picks the hours.
      const params = { app: app_id, hours: chunk, first: chunk[0]!, end: chunk.at(-1)! + HOUR_S };
      for (const rollup of ROLLUPS) {
        if (rollup.sums) {
          await db.run(
            `DELETE FROM ${rollup.table} WHERE app_id = {app:String} AND toUnixTimestamp(hour) IN {hours:Array(UInt32)}`,
            params,
          );
        }
        for (const s of rollup.sources) {
          const rawRows = `app_id = {app:String} AND ${s.time} >= toDateTime({first:UInt32}, 'UTC') AND ${s.time} < toDateTime({end:UInt32}, 'UTC') AND toUnixTimestamp(toStartOfHour(${s.time})) IN {hours:Array(UInt32)}`;
          // A refill must not be dropped as a "retried" block identical to an earlier one.
          await db.run(`INSERT INTO ${rollup.table} (${s.columns}) SETTINGS insert_deduplicate = 0 ${s.selectWhere(rawRows)}`, params);
        }
      }
    }
  }
}

/** The hour (epoch second of its start) holding the epoch-ms time `ms`. */
export function hourOf(ms: number): number {
  return Math.floor(ms / (HOUR_S * 1000)) * HOUR_S;
}
