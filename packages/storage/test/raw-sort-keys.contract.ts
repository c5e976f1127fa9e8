import { describe, expect, it } from 'vitest';
import { RAW_SORT_KEYS, RAW_TABLES, type RawTable, rawTableStatements } from '../src/events/clickhouse-schema.ts';
import type { EventStore } from '../src/events/event-store.ts';
import { resortedName } from '../src/events/raw-sort-keys.ts';
import { ROLLUPS } from '../src/events/rollups.ts';
import { loadMonth, RANGE } from './event-analytics.fixtures.ts';
import type { EventStoreHarness } from './event-store.contract.ts';
import { at, makeEvent, newAppId } from './event-store.fixtures.ts';

/** The raw tables' sort keys before they were by hour. */
const DAY_SORT_KEYS: Record<RawTable, string> = {
  events: 'app_id, toDate(ts), name, device_id',
  clicks: 'app_id, toDate(ts), media_source, link_id',
  impressions: 'app_id, toDate(ts), media_source, link_id',
  installs: 'app_id, toDate(installed_at), media_source, device_id',
};

const VIEWS = ROLLUPS.flatMap((r) => r.sources.map((s) => ({ rollup: r.table, view: s.view, select: s.select })));

/** Each rollup as its queries see it (FINAL), arrays sorted: merges may union them in any order. */
const ROLLUP_ROWS = [
  'SELECT * FROM traffic_hourly FINAL ORDER BY ALL',
  'SELECT * FROM revenue_hourly FINAL ORDER BY ALL',
  'SELECT * FROM device_hours FINAL ORDER BY ALL',
  'SELECT * FROM fraud_hourly FINAL ORDER BY ALL',
  `SELECT app_id, month, device_key, days, engaged, prev_days, arraySort(installs) AS i, arraySort(hours) AS h, arraySort(prev_hours) AS p
   FROM device_months FINAL ORDER BY ALL`,
];

/**
 * Raw tables of a release before the hour sort keys are re-sorted in place by migrate
 * (raw-sort-keys.ts): same rows, new key, rollups untouched, views firing on the new tables, a
 * second migrate a no-op, and a copy killed at any step finished by the next migrate.
 */
export function describeRawSortKeysContract(adapter: string, harness: EventStoreHarness): void {
  describe(`raw tables re-sorted by hour on migrate: ${adapter}`, () => {
    /** A location as the release before hour keys left it: raw tables sorted by day, the views reading them. */
    async function dayKeyedLocation(): Promise<string> {
      const location = await harness.newLocation();
      const store = await harness.open(location);
      await store.migrate();
      await store.close();
      const exec = (sql: string) => harness.exec(location, sql);
      for (const { view } of VIEWS) await exec(`DROP VIEW ${view}`);
      for (const table of RAW_TABLES) {
        await exec(`DROP TABLE ${table}`);
        const [create, ...alters] = rawTableStatements(table);
        await exec((create as string).replace(RAW_SORT_KEYS[table], DAY_SORT_KEYS[table]));
        for (const sql of alters) await exec(sql);
      }
      for (const { rollup, view, select } of VIEWS) await exec(`CREATE MATERIALIZED VIEW ${view} TO ${rollup} AS ${select}`);
      expect(await sortKeys(location)).toEqual(DAY_SORT_KEYS);
      return location;
    }

    async function sortKeys(location: string): Promise<Record<string, string>> {
      const rows = await harness.select(
        location,
        'SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
        { names: RAW_TABLES },
      );
      return Object.fromEntries(rows.map((r) => [String(r['name']), String(r['sorting_key'])]));
    }

    /** Which physical table each name is: a re-sort makes a new one. */
    async function dataPaths(location: string): Promise<unknown[]> {
      return harness.select(
        location,
        'SELECT name, data_paths FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)} ORDER BY name',
        { names: RAW_TABLES },
      );
    }

    async function tableNames(location: string): Promise<string[]> {
      const rows = await harness.select(location, 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name', {});
      return rows.map((r) => String(r['name']));
    }

    async function snapshot(location: string, store: EventStore, app: string) {
      const rows: Record<string, unknown[]> = {};
      for (const table of RAW_TABLES) rows[table] = await harness.select(location, `SELECT * FROM ${table} ORDER BY ALL`, {});
      return {
        rows,
        rollups: await Promise.all(ROLLUP_ROWS.map((sql) => harness.select(location, sql, {}))),
        overview: await store.overview(app, RANGE),
        unaligned: await store.overview(app, { from: at('2024-03-01T11:30:00Z'), to: at('2024-03-03T08:30:00Z') }),
        acrossMonths: await store.overview(app, { from: at('2024-02-29T12:30:00Z'), to: at('2024-03-01T05:30:00Z') }),
        attribution: await store.attribution(app, RANGE, { groupBy: ['media_source', 'campaign'] }),
        retention: await store.retention(app, RANGE, { now: RANGE.to }),
        users: await store.timeseries(app, RANGE, { metric: 'active_users', interval: 'hour' }),
        fraud: await store.fraud(app, RANGE),
      };
    }

    interface DayKeyedMonth {
      location: string;
      /** A statement against the location, around the store. */
      exec: (sql: string) => Promise<void>;
      store: EventStore;
      app: string;
      /** The snapshot before any migrate. */
      before: Awaited<ReturnType<typeof snapshot>>;
    }

    /** Runs `test` on a day-keyed location holding loadMonth's rows, with its store open; closes the store after. */
    async function onDayKeyedMonth(test: (t: DayKeyedMonth) => Promise<void>): Promise<void> {
      const location = await dayKeyedLocation();
      const app = newAppId();
      const store = await harness.open(location);
      try {
        await loadMonth(store, app, newAppId());
        await test({ location, exec: (sql) => harness.exec(location, sql), store, app, before: await snapshot(location, store, app) });
      } finally {
        await store.close();
      }
    }

    /** An empty hour-keyed copy of `events`, as a re-sort starts it; its name. */
    async function startEventsCopy(exec: DayKeyedMonth['exec']): Promise<string> {
      const copy = resortedName('events');
      for (const sql of rawTableStatements('events', copy)) await exec(sql);
      return copy;
    }

    it('copies the rows into tables sorted by hour, leaves the rollups as they were, and a second migrate changes nothing', () =>
      onDayKeyedMonth(async ({ location, store, app, before }) => {
        expect(before.overview.total_events).toBeGreaterThan(0);
        expect(before.rows['events']?.length).toBeGreaterThan(0);
        const dayKeyed = await dataPaths(location);

        await store.migrate();
        expect(await sortKeys(location)).toEqual(RAW_SORT_KEYS);
        expect(await dataPaths(location)).not.toEqual(dayKeyed);
        expect(await snapshot(location, store, app)).toEqual(before);
        const names = await tableNames(location);
        for (const { view } of VIEWS) expect(names).toContain(view);
        for (const table of RAW_TABLES) expect(names).not.toContain(resortedName(table));

        // The views fire on the new tables: one more event is one more in the overview.
        await store.insertEvents([makeEvent({ app_id: app, timestamp: at('2024-03-02T10:15:00Z') })]);
        const grown = await store.overview(app, RANGE);
        expect(grown.total_events).toBe(before.overview.total_events + 1);

        const hourKeyed = await dataPaths(location);
        await store.migrate();
        expect(await dataPaths(location)).toEqual(hourKeyed);
        expect(await store.overview(app, RANGE)).toEqual(grown);
      }));

    it('finishes a copy killed midway: a partition half copied, one copied whole, one no longer in the source', () =>
      onDayKeyedMonth(async ({ location, exec, store, app, before }) => {
        const partitions = await harness.select(location, 'SELECT DISTINCT _partition_id AS p FROM events ORDER BY p', {});
        expect(partitions.length).toBeGreaterThan(1);
        const copy = await startEventsCopy(exec);
        const [whole, half] = partitions.map((r) => String(r['p']));
        await exec(`INSERT INTO ${copy} SELECT * FROM events WHERE _partition_id = '${whole}'`);
        await exec(`INSERT INTO ${copy} SELECT * FROM events WHERE _partition_id = '${half}' LIMIT 2`);
        await exec(`INSERT INTO ${copy} SELECT * FROM events WHERE _partition_id = '${half}' LIMIT 1`);
        await exec(`INSERT INTO ${copy} SELECT * REPLACE (toDateTime64('2019-01-01 00:00:00', 3, 'UTC') AS ts) FROM events LIMIT 1`);

        await store.migrate();
        expect(await sortKeys(location)).toEqual(RAW_SORT_KEYS);
        expect(await snapshot(location, store, app)).toEqual(before);
        expect(await tableNames(location)).not.toContain(copy);
      }));

    it('finishes an exchange killed before its views were made again: the rollups are refilled, no answer changes', () =>
      onDayKeyedMonth(async ({ location, exec, store, app, before }) => {
        const copy = await startEventsCopy(exec);
        await exec(`INSERT INTO ${copy} SELECT * FROM events`);
        for (const { view } of ROLLUPS.flatMap((r) => r.sources.filter((s) => s.table === 'events'))) await exec(`DROP VIEW ${view}`);
        await exec(`EXCHANGE TABLES events AND ${copy}`);

        await store.migrate();
        expect(await sortKeys(location)).toEqual(RAW_SORT_KEYS);
        expect(await snapshot(location, store, app)).toEqual(before);
        const names = await tableNames(location);
        for (const { view } of VIEWS) expect(names).toContain(view);
        expect(names).not.toContain(copy);
      }));
  });
}
