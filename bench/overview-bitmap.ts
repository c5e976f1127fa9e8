/**
 * bench/overview-bitmap: what the overview would cost if active users were counted from
 * roaring bitmaps of dense device numbers (per day and per hour, `groupBitmap` states in
 * AggregatingMergeTree tables) instead of the device_months rows the store reads today.
 * A measured design, not the store's code: on a data directory made by bench/queries (DATA=…)
 * it numbers the devices in first-seen order (what a write-time assignment would give), builds
 * the bitmap tables from the events in a database of its own, then alternates today's
 * statement and the same statement with the bitmap count on every range, checking that both
 * give the same answer. Also measures the write side the design would add: looking up a batch's
 * device numbers in the number table, and a batch of (hour, number) rows through a
 * materialized view into the bitmap tables (next to the same insert into a table with no view).
 * Prints one JSON line; drops its database at the end unless KEEP=1.
 * Options (env): DATA (/var/tmp/q10m), RUNS (20), WHOLE (1: the whole overview statement;
 * 0: the active-users subquery alone), RANGES (month,unaligned,two_months,quarter).
 *
 *   DATA=/var/tmp/q10m node --import tsx bench/overview-bitmap.ts
 */
import { Session } from 'chdb';
import { activeUsersSql } from '../packages/storage/src/events/active-users-sql.ts';
import { overviewSql } from '../packages/storage/src/events/analytics-queries.ts';
import { HOURS_OUTSIDE_DAYS, monthsSpanned, rangeShape, rawEdges, splitRange } from '../packages/storage/src/events/time-split.ts';
import { median } from './lib/median.ts';
import { overviewRanges } from './lib/overview-ranges.ts';
import { timeAlternating } from './lib/statement-timing.ts';

const ranges = overviewRanges(Date.UTC(2024, 2, 1));
const RUNS = Number(process.env['RUNS'] ?? 20);
const WHOLE = process.env['WHOLE'] !== '0';
const DB = 'bitmap_bench';
const session = new Session(process.env['DATA'] ?? '/var/tmp/q10m');
const q = async (sql: string, params: Record<string, unknown> = {}) =>
  (await session.queryBindAsync(sql, params, { format: 'JSONEachRow' })).text();
const first = async (sql: string) => JSON.parse((await q(sql)).split('\n')[0]!) as Record<string, number>;

async function build() {
  await q(`DROP DATABASE IF EXISTS ${DB}`);
  await q(`CREATE DATABASE ${DB}`);
  await q(`CREATE TABLE ${DB}.numbers ENGINE = MergeTree ORDER BY (app_id, device_id) AS
    SELECT app_id, device_id, toUInt32(row_number() OVER (PARTITION BY app_id ORDER BY first_ts, device_id)) AS num
    FROM (SELECT app_id, device_id, min(ts) AS first_ts FROM events GROUP BY app_id, device_id)`);
  // The events' number stamped at write time, sorted and partitioned like events.
  await q(`CREATE TABLE ${DB}.events (app_id LowCardinality(String), ts DateTime64(3, 'UTC'), name LowCardinality(String), device_id String, num UInt32)
    ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (app_id, intDiv(toUnixTimestamp64Milli(ts), 3600000), name, device_id)`);
  await q(
    `INSERT INTO ${DB}.events SELECT e.app_id, e.ts, e.name, e.device_id, n.num FROM events e INNER JOIN ${DB}.numbers n USING (app_id, device_id)`,
  );
  for (const [table, column, type, expr] of [
    ['days', 'day', 'Date', 'toDate(ts)'],
    ['hours', 'hour', "DateTime('UTC')", 'toStartOfHour(ts)'],
  ] as const) {
    await q(`CREATE TABLE ${DB}.${table} (app_id LowCardinality(String), ${column} ${type}, devices AggregateFunction(groupBitmap, UInt32))
      ENGINE = AggregatingMergeTree ORDER BY (app_id, ${column})`);
    await q(
      `INSERT INTO ${DB}.${table} SELECT app_id, ${expr} AS ${column}, groupBitmapState(num) FROM ${DB}.events GROUP BY app_id, ${column}`,
    );
    await q(`OPTIMIZE TABLE ${DB}.${table} FINAL`);
  }
  // The write path's feed: (app, hour, number) rows into a Null table whose views fill the
  // bitmaps; `bare` is the same insert with no view, the engine's fixed cost of a statement.
  await q(`CREATE TABLE ${DB}.bare (app_id LowCardinality(String), hour DateTime('UTC'), num UInt32) ENGINE = Null`);
  await q(`CREATE TABLE ${DB}.feed (app_id LowCardinality(String), hour DateTime('UTC'), num UInt32) ENGINE = Null`);
  await q(
    `CREATE MATERIALIZED VIEW ${DB}.feed_days TO ${DB}.days AS SELECT app_id, toDate(hour) AS day, groupBitmapState(num) AS devices FROM ${DB}.feed GROUP BY app_id, day`,
  );
  await q(
    `CREATE MATERIALIZED VIEW ${DB}.feed_hours TO ${DB}.hours AS SELECT app_id, hour, groupBitmapState(num) AS devices FROM ${DB}.feed GROUP BY app_id, hour`,
  );
}

const dayBound = (p: string) => `toDate(fromUnixTimestamp64Milli({${p}:Int64}, 'UTC'))`;

/** Active users of [from, to) from the bitmaps: whole days, the other whole hours, the raw edges' numbers. */
function bitmapActiveUsers(shape: { rawEdges: boolean; partialDays: boolean }): string {
  const parts = [
    `SELECT devices AS b FROM ${DB}.days WHERE app_id = {app:String} AND day >= ${dayBound('dfrom')} AND day < ${dayBound('dto')}`,
  ];
  if (shape.partialDays) parts.push(`SELECT devices FROM ${DB}.hours WHERE app_id = {app:String} AND ${HOURS_OUTSIDE_DAYS}`);
  if (shape.rawEdges) parts.push(`SELECT groupBitmapState(num) FROM ${DB}.events WHERE app_id = {app:String} AND ${rawEdges('ts')}`);
  return `SELECT groupBitmapMerge(b) AS n FROM (${parts.join(' UNION ALL ')})`;
}

const t0 = performance.now();
await build();
const buildSeconds = +((performance.now() - t0) / 1000).toFixed(1);
const sizes = await q(
  `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = '${DB}' AND active GROUP BY table ORDER BY table`,
);

const queries: Record<string, unknown> = {};
for (const name of (process.env['RANGES'] ?? 'month,unaligned,two_months,quarter').split(',')) {
  const range = ranges[name as keyof typeof ranges];
  const split = splitRange(range.from, range.to);
  const shape = rangeShape(split);
  const params = { app: 'bench_app', ccy: 'USD', ...split };
  const today = activeUsersSql(monthsSpanned(split), shape);
  const statement = overviewSql(monthsSpanned(split), shape);
  const variants = WHOLE
    ? { today: statement, bitmap: statement.replace(today, bitmapActiveUsers(shape)) }
    : { today, bitmap: bitmapActiveUsers(shape) };
  const answers = await Promise.all(Object.values(variants).map((sql) => q(sql, params)));
  if (answers[0] !== answers[1]) throw new Error(`${name}: the bitmap count differs: ${answers.join(' vs ')}`);
  queries[name] = await timeAlternating(variants, (sql) => q(sql, params), RUNS);
}

// Write side, per 500-event batch of distinct devices: the number look-up and the bitmap feed.
const batches = 200;
const lookup: number[] = [];
const feed: number[] = [];
const bare: number[] = [];
for (let i = 0; i < batches; i++) {
  const offset = (i * 4_999) % 990_000;
  const ids = (await q(`SELECT device_id FROM ${DB}.numbers WHERE app_id = 'bench_app' ORDER BY num LIMIT 500 OFFSET ${offset}`))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { device_id: string }).device_id);
  let t = performance.now();
  await q(`SELECT device_id, num FROM ${DB}.numbers WHERE app_id = 'bench_app' AND device_id IN {ids:Array(String)}`, { ids });
  lookup.push(performance.now() - t);
  for (const [table, times] of [
    ['feed', feed],
    ['bare', bare],
  ] as const) {
    t = performance.now();
    await q(
      `INSERT INTO ${DB}.${table} SELECT 'bench_app', toDateTime('2024-03-31 10:00:00', 'UTC'), toUInt32(${offset} + number) FROM numbers(500)`,
    );
    times.push(performance.now() - t);
  }
}
const unmergedRows = await first(`SELECT count() AS n FROM ${DB}.hours`);

if (process.env['KEEP'] !== '1') await q(`DROP DATABASE ${DB}`);
session.close();
console.log(
  JSON.stringify({
    bench: 'overview-bitmap',
    whole_statement: WHOLE,
    runs: RUNS,
    build_s: buildSeconds,
    tables: sizes
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    queries,
    write_side_per_batch_of_500: {
      number_lookup_ms_p50: +median(lookup).toFixed(2),
      bitmap_feed_ms_p50: +median(feed).toFixed(2),
      bare_insert_ms_p50: +median(bare).toFixed(2),
      hours_rows_after: unmergedRows.n,
    },
  }),
);
