import { RAW_SORT_KEYS, RAW_TABLES, RAW_TIME, type RawTable, rawTableStatements } from './clickhouse-schema.ts';
import type { SqlRunner } from './person-erase.ts';
import { ROLLUPS } from './rollups.ts';

/**
 * Re-sorts a raw table of an earlier release, whose sort key is `(app_id, toDate(time), …)`, to
 * this release's `(app_id, <hour of time>, …)` (clickhouse-schema.ts RAW_SORT_KEYS), in
 * place. A sort key cannot be altered, so the rows are copied into a new table that is then
 * exchanged with the old one:
 *
 * 1. `<table>_resorted` is created with the new key (no view reads it, so the copy feeds no
 *    rollup: the rollups already hold these rows);
 * 2. the rows are copied partition by partition, each partition in statements of at most
 *    COPY_ROWS rows (a ClickHouse server's HTTP request has a timeout). A partition whose row
 *    count already matches is skipped, one that does not (a copy killed midway) is dropped and
 *    copied again, so a rerun resumes;
 * 3. only when every partition's count matches: the views reading the table are dropped, the
 *    two tables are exchanged (atomic), the views are created again on the new table, and the
 *    old rows are dropped.
 *
 * The views are dropped around the exchange rather than trusted to follow the name: which table
 * a view fires on after `EXCHANGE TABLES` has changed between ClickHouse releases. A process
 * killed between the drop and the creation leaves views missing; the next migrate refills those
 * rollups from the raw tables (rollups.ts migrateRollups), which are whole on both sides of the
 * exchange, so no answer changes.
 *
 * Like the rollup rebuild, this must run before anything writes: a row inserted into the old
 * table after its partition was copied would be lost at the exchange. On a ClickHouse server
 * shared by several processes, the first start of this release must be one process alone (two
 * migrating at once copy twice; the second then stops before its exchange with an error).
 */

/** Rows per copy statement: ~1 M events take a few seconds, far inside a server request's timeout. */
const COPY_ROWS = 1_000_000;

/** Copies keep every row as it is: no block of the copy is a "retried" one, whatever it holds. */
const COPY_SETTINGS = 'SETTINGS insert_deduplicate = 0, throw_on_max_partitions_per_insert_block = 0';

/** The copy a table is re-sorted into. */
export const resortedName = (table: RawTable) => `${table}_resorted`;

export async function migrateRawSortKeys(db: SqlRunner): Promise<void> {
  for (const table of RAW_TABLES) await resort(db, table);
}

async function resort(db: SqlRunner, table: RawTable): Promise<void> {
  const copy = resortedName(table);
  if ((await sortingKey(db, table)) === RAW_SORT_KEYS[table]) {
    // Sorted already; a copy left here holds the old rows of an exchange whose last step did not run.
    await db.run(`DROP TABLE IF EXISTS ${copy}`, {});
    return;
  }
  const copyKey = await sortingKey(db, copy);
  if (copyKey !== null && copyKey !== RAW_SORT_KEYS[table]) await db.run(`DROP TABLE ${copy}`, {});
  for (const sql of rawTableStatements(table, copy)) await db.run(sql, {});

  const columns = (await columnsOf(db, copy)).map((c) => `\`${c}\``).join(', ');
  const source = await partitionCounts(db, table);
  const copied = await partitionCounts(db, copy);
  for (const partition of copied.keys()) {
    if (!source.has(partition)) await dropPartition(db, copy, partition);
  }
  for (const [partition, rows] of source) {
    if (copied.get(partition) === rows) continue;
    if (copied.has(partition)) await dropPartition(db, copy, partition);
    await copyPartition(db, table, copy, columns, partition);
  }
  const after = await partitionCounts(db, copy);
  for (const [partition, rows] of source) {
    if (after.get(partition) !== rows) {
      throw new Error(
        `Re-sorting ${table}: partition ${partition} has ${rows} rows but its copy ${after.get(partition) ?? 0}; was something writing during migrate?`,
      );
    }
  }

  // Another process migrating the same server may have finished first: exchanging again would swap the old rows back.
  if ((await sortingKey(db, table)) === RAW_SORT_KEYS[table] || (await sortingKey(db, copy)) !== RAW_SORT_KEYS[table]) {
    throw new Error(`Re-sorting ${table}: another process changed it during migrate; start one process first on a new release`);
  }
  const views = ROLLUPS.flatMap((r) => r.sources.filter((s) => s.table === table).map((s) => ({ rollup: r.table, source: s })));
  for (const { source } of views) await db.run(`DROP VIEW IF EXISTS ${source.view}`, {});
  await db.run(`EXCHANGE TABLES ${table} AND ${copy}`, {});
  for (const { rollup, source } of views) {
    await db.run(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${source.view} TO ${rollup} AS ${source.select}`, {});
  }
  await db.run(`DROP TABLE ${copy}`, {});
}

async function sortingKey(db: SqlRunner, name: string): Promise<string | null> {
  const rows = await db.rows('SELECT sorting_key AS k FROM system.tables WHERE database = currentDatabase() AND name = {name:String}', {
    name,
  });
  return rows[0] ? String(rows[0]['k']) : null;
}

async function columnsOf(db: SqlRunner, name: string): Promise<string[]> {
  const rows = await db.rows(
    'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {name:String} ORDER BY position',
    { name },
  );
  return rows.map((r) => String(r['name']));
}

async function partitionCounts(db: SqlRunner, name: string): Promise<Map<string, number>> {
  const rows = await db.rows(`SELECT _partition_id AS p, count() AS n FROM ${name} GROUP BY p ORDER BY p`, {});
  return new Map(rows.map((r) => [String(r['p']), Number(r['n'])]));
}

/** Partition ids come from the engine (`202403`), never from a caller; checked before they enter a statement. */
async function dropPartition(db: SqlRunner, name: string, partition: string): Promise<void> {
  if (!/^[0-9A-Za-z_-]+$/.test(partition)) throw new Error(`Unexpected partition id ${JSON.stringify(partition)} in ${name}`);
  await db.run(`ALTER TABLE ${name} DROP PARTITION ID '${partition}'`, {});
}

/**
 * One partition in runs of whole days of at most COPY_ROWS rows (a day larger than that is one
 * run). Days as the old sort key has them, so each run reads only its days' granules.
 */
async function copyPartition(db: SqlRunner, table: RawTable, copy: string, columns: string, partition: string): Promise<void> {
  const day = `toDate(${RAW_TIME[table]})`;
  const days = await db.rows(
    `SELECT toString(${day}) AS d, count() AS n FROM ${table} WHERE _partition_id = {p:String} GROUP BY d ORDER BY d`,
    { p: partition },
  );
  let first: string | null = null;
  let last = '';
  let rows = 0;
  const flush = async () => {
    if (first === null) return;
    await db.run(
      `INSERT INTO ${copy} (${columns}) ${COPY_SETTINGS}
SELECT ${columns} FROM ${table}
WHERE _partition_id = {p:String} AND ${day} >= toDate({first:String}) AND ${day} <= toDate({last:String})`,
      { p: partition, first, last },
    );
    first = null;
    rows = 0;
  };
  for (const { d, n } of days) {
    if (first !== null && rows + Number(n) > COPY_ROWS) await flush();
    first ??= String(d);
    last = String(d);
    rows += Number(n);
  }
  await flush();
}
