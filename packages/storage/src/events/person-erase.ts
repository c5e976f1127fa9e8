import { ROLLUPS } from './rollups.ts';

/**
 * Forgetting one person in the event store (an erase request, docs/privacy.md), written as
 * plain ClickHouse SQL so chDB and a ClickHouse server run the same statements: lightweight
 * `DELETE FROM` for the raw tables (rows vanish from queries at once; disk space comes back at
 * the next merge), then the rollups fixed so analytics stop counting the person.
 *
 * Who the person is: the devices named (device_id), or found through the user id or the
 * advertising id in events, identities and installs; then every advertising id those devices
 * used, and the clicks and impressions that won their installs (a referrer or probabilistic
 * click carries no device id, but its IP and User-Agent are theirs).
 */

export type PersonKey = { device_id: string } | { advertising_id: string } | { user_id: string };

export interface PersonIdentifiers {
  device_ids: string[];
  advertising_ids: string[];
  user_ids: string[];
  /** our ids of the clicks and impressions that won the person's installs */
  touch_ids: string[];
  install_ids: string[];
  /** every event and identity id, for the dedupe index */
  event_ids: string[];
  /** IPs the person's clicks came from, for the click-flood counter */
  click_ips: string[];
}

/** Rows deleted per table. */
export type EventStoreEraseCounts = Record<'events' | 'identities' | 'installs' | 'clicks' | 'impressions', number>;

/** What the statements need from a transport: bound reads (rows as objects) and bound writes. */
export interface SqlRunner {
  rows(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  run(sql: string, params: Record<string, unknown>): Promise<void>;
}

const strings = (rows: Record<string, unknown>[], column = 'v') =>
  [...new Set(rows.map((r) => String(r[column] ?? '')).filter((v) => v !== ''))].sort();

/** The person's identifiers in one app, from what the store holds. */
export async function findPerson(db: SqlRunner, appId: string, key: PersonKey): Promise<PersonIdentifiers> {
  const app = { app: appId };
  let deviceIds: string[];
  const userIds: string[] = [];
  const adIds: string[] = [];
  if ('device_id' in key) deviceIds = [key.device_id];
  else if ('user_id' in key) {
    userIds.push(key.user_id);
    deviceIds = strings(
      await db.rows(
        `SELECT DISTINCT device_id AS v FROM events WHERE app_id = {app:String} AND user_id = {u:String}
         UNION DISTINCT SELECT DISTINCT device_id AS v FROM identities WHERE app_id = {app:String} AND user_id = {u:String}`,
        { ...app, u: key.user_id },
      ),
    );
  } else {
    adIds.push(key.advertising_id);
    deviceIds = strings(
      await db.rows(
        `SELECT DISTINCT device_id AS v FROM events WHERE app_id = {app:String} AND advertising_id = {a:String}
         UNION DISTINCT SELECT DISTINCT device_id AS v FROM installs WHERE app_id = {app:String} AND advertising_id = {a:String}`,
        { ...app, a: key.advertising_id },
      ),
    );
  }
  const devices = { ...app, d: deviceIds };
  adIds.push(
    ...strings(
      await db.rows(
        `SELECT DISTINCT advertising_id AS v FROM events WHERE app_id = {app:String} AND device_id IN {d:Array(String)}
         UNION DISTINCT SELECT DISTINCT advertising_id AS v FROM installs WHERE app_id = {app:String} AND device_id IN {d:Array(String)}`,
        devices,
      ),
    ),
  );
  userIds.push(
    ...strings(
      await db.rows(
        `SELECT DISTINCT user_id AS v FROM events WHERE app_id = {app:String} AND device_id IN {d:Array(String)}
         UNION DISTINCT SELECT DISTINCT user_id AS v FROM identities WHERE app_id = {app:String} AND device_id IN {d:Array(String)}`,
        devices,
      ),
    ),
  );
  const installs = await db.rows(
    `SELECT install_id, click_id FROM installs WHERE app_id = {app:String} AND (device_id IN {d:Array(String)} OR advertising_id IN {a:Array(String)})`,
    { ...devices, a: uniq(adIds) },
  );
  const touchIds = strings(installs, 'click_id');
  const eventIds = strings(
    await db.rows(
      `SELECT event_id AS v FROM events WHERE app_id = {app:String} AND device_id IN {d:Array(String)}
       UNION ALL SELECT event_id AS v FROM identities WHERE app_id = {app:String} AND device_id IN {d:Array(String)}`,
      devices,
    ),
  );
  const clickIps = strings(
    await db.rows(
      `SELECT DISTINCT ip AS v FROM clicks WHERE app_id = {app:String} AND (advertising_id IN {a:Array(String)} OR click_id IN {t:Array(String)})`,
      { ...app, a: uniq(adIds), t: touchIds },
    ),
  );
  return {
    device_ids: deviceIds,
    advertising_ids: uniq(adIds),
    user_ids: uniq(userIds),
    touch_ids: touchIds,
    install_ids: strings(installs, 'install_id'),
    event_ids: eventIds,
    click_ips: clickIps,
  };
}

function uniq(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))].sort();
}

/** The WHERE of each raw table for one person; `{app}`, `{d}`, `{a}`, `{u}`, `{t}` bound. */
const PERSON_ROWS = {
  events: {
    time: 'ts',
    where: 'device_id IN {d:Array(String)} OR advertising_id IN {a:Array(String)} OR user_id IN {u:Array(String)}',
  },
  identities: { time: 'ts', where: 'device_id IN {d:Array(String)} OR user_id IN {u:Array(String)}' },
  installs: { time: 'installed_at', where: 'device_id IN {d:Array(String)} OR advertising_id IN {a:Array(String)}' },
  clicks: { time: 'ts', where: 'advertising_id IN {a:Array(String)} OR click_id IN {t:Array(String)}' },
  impressions: { time: 'ts', where: 'advertising_id IN {a:Array(String)} OR click_id IN {t:Array(String)}' },
} as const;

/** The hourly rollups summed from raw rows (traffic_hourly, revenue_hourly): rebuilt hour by hour after an erase. */
const HOURLY_SUMS = ROLLUPS.filter((r) => r.sums);
/** The rollups of device keys (device_hours, device_months): a person's keys are deleted from them. */
const DEVICE_ROLLUPS = ROLLUPS.filter((r) => !r.sums);

/**
 * Deletes the person's rows and repairs the rollups: the hours their rows fell in are summed
 * again from the raw tables without them (traffic_hourly, revenue_hourly), and their device keys leave the
 * active-user rollups (device_hours, device_months). Safe to run again after an interruption:
 * a second run finds fewer (or no) rows and rebuilds the same hours.
 *
 * The caller must keep inserts for this app out while it runs (the chDB adapter runs it on its
 * writer queue), or a row inserted between the rollup delete and the refill is counted twice.
 */
export async function erasePersonRows(db: SqlRunner, appId: string, person: PersonIdentifiers): Promise<EventStoreEraseCounts> {
  const params = {
    app: appId,
    d: person.device_ids,
    a: person.advertising_ids,
    u: person.user_ids,
    t: person.touch_ids,
  };
  const counts = { events: 0, identities: 0, installs: 0, clicks: 0, impressions: 0 } as EventStoreEraseCounts;
  const hours = new Set<number>();
  for (const [table, { time, where }] of Object.entries(PERSON_ROWS) as [keyof EventStoreEraseCounts, { time: string; where: string }][]) {
    const found = await db.rows(
      `SELECT toUnixTimestamp(toStartOfHour(${time})) AS h, count() AS n FROM ${table} WHERE app_id = {app:String} AND (${where}) GROUP BY h`,
      params,
    );
    for (const row of found) {
      counts[table] += Number(row.n);
      hours.add(Number(row.h));
    }
    if (found.length > 0) await db.run(`DELETE FROM ${table} WHERE app_id = {app:String} AND (${where})`, params);
  }
  await rebuildTrafficHours(
    db,
    appId,
    [...hours].sort((x, y) => x - y),
  );
  if (person.device_ids.length > 0) {
    for (const { table } of DEVICE_ROLLUPS) {
      await db.run(
        `DELETE FROM ${table} WHERE app_id = {app:String} AND device_key IN (SELECT sipHash64(arrayJoin({d:Array(String)})))`,
        params,
      );
    }
  }
  return counts;
}

/** traffic_hourly and revenue_hourly rows of these hours (epoch seconds), summed again from the raw tables as they are now. */
export async function rebuildTrafficHours(db: SqlRunner, appId: string, hours: readonly number[]): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < hours.length; i += CHUNK) {
    const params = { app: appId, hours: hours.slice(i, i + CHUNK) };
    const inHours = `app_id = {app:String} AND toUnixTimestamp(hour) IN {hours:Array(UInt32)}`;
    for (const rollup of HOURLY_SUMS) {
      await db.run(`DELETE FROM ${rollup.table} WHERE ${inHours}`, params);
      // A refill must not be dropped as a "retried" block identical to an earlier one.
      for (const s of rollup.sources) {
        await db.run(
          `INSERT INTO ${rollup.table} (${s.columns}) SETTINGS insert_deduplicate = 0 SELECT * FROM (${s.select}) WHERE ${inHours}`,
          params,
        );
      }
    }
  }
}
