import { Session } from 'chdb';
import { describe, expect, it } from 'vitest';
import { hourOf } from '../src/events/rollup-repair.ts';
import { ROLLUPS } from '../src/events/rollups.ts';
import { install, loadMonth, RANGE } from './event-analytics.fixtures.ts';
import { describeEventFraudEdgesContract } from './event-fraud-edges.contract.ts';
import { describeEventRollupsContract } from './event-rollups.contract.ts';
import { describeEventRollupsEdgesContract } from './event-rollups-edges.contract.ts';
import { at, newAppId } from './event-store.fixtures.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

const harness = chdbEventHarness();
describeEventRollupsContract('chDB', harness);
describeEventRollupsEdgesContract('chDB', harness);
describeEventFraudEdgesContract('chDB', harness);

describe('rollups on chDB: built from rows stored before they existed', () => {
  /** Runs DDL on the closed store's directory, as an older version would have left it. */
  async function exec(dir: string, statements: string[]): Promise<void> {
    const session = new Session(dir);
    try {
      for (const sql of statements) await session.queryAsync(sql);
    } finally {
      session.close();
    }
  }

  it('fills missing rollups from the raw tables on migrate, and rebuilds a half-made one without double counting', async () => {
    const dir = await harness.newLocation();
    const app = newAppId();
    let store = await harness.open(dir);
    await store.migrate();
    await loadMonth(store, app, newAppId());
    const answers = async () => ({
      overview: await store.overview(app, RANGE),
      attribution: await store.attribution(app, RANGE, { groupBy: ['media_source', 'campaign'] }),
      retention: await store.retention(app, RANGE, { now: RANGE.to }),
      users: await store.timeseries(app, RANGE, { metric: 'active_users', interval: 'day' }),
      fraud: await store.fraud(app, RANGE),
    });
    const before = await answers();
    expect(before.overview.total_events).toBeGreaterThan(0);
    await store.close();

    // As before rollups existed: no views, no rollup tables.
    await exec(
      dir,
      ROLLUPS.flatMap((r) => [...r.sources.map((s) => `DROP VIEW ${s.view}`), `DROP TABLE ${r.table}`]),
    );
    store = await harness.open(dir);
    await store.migrate();
    expect(await answers()).toEqual(before);
    await store.close();

    // A rebuild interrupted after its refill: the table is full but one view is missing.
    const traffic = ROLLUPS.find((r) => r.table === 'traffic_hourly');
    await exec(dir, [`DROP VIEW ${traffic?.sources[0]?.view}`]);
    store = await harness.open(dir);
    await store.migrate();
    expect(await answers()).toEqual(before);
    await store.close();
  });

  it('adds fraud_hourly to a data directory made before it, counting the flagged rows already stored', async () => {
    const dir = await harness.newLocation();
    const app = newAppId();
    let store = await harness.open(dir);
    await store.migrate();
    await loadMonth(store, app, newAppId());
    // RANGE is whole days: answered from fraud_hourly alone, so rows it misses would be missing here.
    const unaligned = { from: at('2024-03-01T09:30:00Z'), to: at('2024-03-03T10:45:00Z') };
    const answers = async () => ({ whole: await store.fraud(app, RANGE), unaligned: await store.fraud(app, unaligned) });
    const before = await answers();
    expect(before.whole).toMatchObject({ rejected_installs: 2, rejected_clicks: 2 });
    await store.close();

    // As the release before fraud_hourly left it: neither the table nor its views.
    const fraud = ROLLUPS.find((r) => r.table === 'fraud_hourly');
    await exec(dir, [...(fraud?.sources.map((s) => `DROP VIEW ${s.view}`) ?? []), 'DROP TABLE fraud_hourly']);
    store = await harness.open(dir);
    await store.migrate();
    expect(await answers()).toEqual(before);
    await store.close();
  });

  it('repairRollups makes fraud_hourly agree with the raw rows of the hours it is given', async () => {
    const dir = await harness.newLocation();
    const app = newAppId();
    let store = await harness.open(dir);
    await store.migrate();
    const flagged = (id: string, iso: string) => ({
      app_id: app,
      click_id: id,
      link_id: 'L1',
      ts: at(iso),
      media_source: 'meta',
      fraud_reason: 'click_flood',
    });
    await store.insertClicks([flagged('kept', '2024-03-01T10:10:00Z'), flagged('lost', '2024-03-01T11:10:00Z')]);
    await store.insertInstalls([install(app, 'rej', 'd1', '2024-03-01T10:20:00Z', { status: 'rejected', fraud_reason: 'ctit_too_short' })]);
    await store.close();

    // As a kill between a raw insert and its views leaves them: rollup rows without raw rows (hour 11),
    // raw rows without rollup rows (hour 10).
    await exec(dir, [
      `DELETE FROM clicks WHERE app_id = '${app}' AND click_id = 'lost'`,
      `DELETE FROM fraud_hourly WHERE app_id = '${app}' AND hour = toDateTime('2024-03-01 10:00:00', 'UTC')`,
    ]);
    store = await harness.open(dir);
    // Whole hours: answered from fraud_hourly alone.
    const hours = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z') };
    expect(await store.fraud(app, hours)).toMatchObject({ rejected_clicks: 1, rejected_installs: 0 });
    await store.repairRollups([{ app_id: app, hours: [hourOf(at('2024-03-01T10:00:00Z')), hourOf(at('2024-03-01T11:00:00Z'))] }]);
    expect(await store.fraud(app, hours)).toMatchObject({
      rejected_clicks: 1,
      rejected_installs: 1,
      clicks_by_reason: [{ reason: 'click_flood', count: 1 }],
      installs_by_reason: [{ reason: 'ctit_too_short', count: 1 }],
    });
    await store.close();
  });

  it('brings an older device_months (no prev_days, no installs, no install view) to the new columns and refills it', async () => {
    const dir = await harness.newLocation();
    const app = newAppId();
    let store = await harness.open(dir);
    await store.migrate();
    await loadMonth(store, app, newAppId());
    const answers = async () => ({
      overview: await store.overview(app, RANGE),
      retention: await store.retention(app, RANGE, { now: RANGE.to }),
      bySource: await store.retention(app, RANGE, { groupBy: 'media_source', now: RANGE.to }),
      users: await store.timeseries(app, RANGE, { metric: 'active_users', interval: 'day' }),
    });
    const before = await answers();
    await store.close();

    // The table and view as the first version of device_months created them.
    const months = ROLLUPS.find((r) => r.table === 'device_months');
    await exec(dir, [
      ...(months?.sources.map((s) => `DROP VIEW ${s.view}`) ?? []),
      'DROP TABLE device_months',
      `CREATE TABLE device_months (app_id LowCardinality(String), month Date, device_key UInt64,
        days SimpleAggregateFunction(groupBitOr, UInt32), engaged SimpleAggregateFunction(groupBitOr, UInt32))
        ENGINE = AggregatingMergeTree PARTITION BY toYear(month) ORDER BY (app_id, month, device_key)`,
      `CREATE MATERIALIZED VIEW device_months_events_mv TO device_months AS
        SELECT app_id, toStartOfMonth(ts) AS month, sipHash64(device_id) AS device_key,
          groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(ts) - 1)) AS days, toUInt32(0) AS engaged
        FROM events GROUP BY app_id, month, device_key`,
    ]);
    store = await harness.open(dir);
    await store.migrate();
    expect(await answers()).toEqual(before);
    await store.close();
  });

  it('brings the previous device_months (prev_days and installs, no hours) to hours in place: the old view goes, the rows are refilled', async () => {
    const dir = await harness.newLocation();
    const app = newAppId();
    let store = await harness.open(dir);
    await store.migrate();
    await loadMonth(store, app, newAppId());
    // Ranges whose answers need the hours of partial days: d7 is active only at 03-01 12:00, d5 at 02-29 23:59 and 03-01.
    const unaligned = { from: at('2024-03-01T11:30:00Z'), to: at('2024-03-03T08:30:00Z') };
    const acrossMonths = { from: at('2024-02-29T12:30:00Z'), to: at('2024-03-01T05:30:00Z') };
    const answers = async () => ({
      overview: await store.overview(app, RANGE),
      unaligned: await store.overview(app, unaligned),
      acrossMonths: await store.overview(app, acrossMonths),
      retention: await store.retention(app, RANGE, { now: RANGE.to }),
      users: await store.timeseries(app, RANGE, { metric: 'active_users', interval: 'day' }),
    });
    const before = await answers();
    expect(before.unaligned.active_users).toBe(6);
    await store.close();

    // As the release before hours left it: its events view under the old name, no hours columns.
    const months = ROLLUPS.find((r) => r.table === 'device_months');
    await exec(dir, [
      ...(months?.sources.map((s) => `DROP VIEW ${s.view}`) ?? []),
      'ALTER TABLE device_months DROP COLUMN hours',
      'ALTER TABLE device_months DROP COLUMN prev_hours',
      `CREATE MATERIALIZED VIEW device_months_events_mv TO device_months AS
        SELECT app_id, month, device_key,
          groupBitOrIf(bit, this) AS days, groupBitOrIf(bit, this AND engaging) AS engaged, groupBitOrIf(bit, NOT this) AS prev_days
        FROM (
          SELECT app_id, sipHash64(device_id) AS device_key, toStartOfMonth(ts) AS own, arrayJoin([own, addMonths(own, 1)]) AS month,
            month = own AS this, bitShiftLeft(toUInt32(1), toDayOfMonth(ts) - 1) AS bit, type IN ('open', 'event') AS engaging
          FROM events
        )
        GROUP BY app_id, month, device_key`,
      `CREATE MATERIALIZED VIEW device_months_installs_mv TO device_months AS ${months?.sources[1]?.select}`,
    ]);
    store = await harness.open(dir);
    await store.migrate();
    expect(await answers()).toEqual(before);
    await store.close();
    const views = await harness.select(
      dir,
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'device_months%' ORDER BY name`,
      {},
    );
    expect(views.map((v) => v['name'])).toEqual(['device_months', ...(months?.sources.map((s) => s.view).sort() ?? [])]);
  });
});
