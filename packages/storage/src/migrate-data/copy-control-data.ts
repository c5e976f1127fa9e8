import type { SqlDb } from '../control/sql-db.ts';
import { type ControlTable, controlTables } from './control-tables.ts';
import type { OnProgress } from './progress.ts';

/** Rows per read and per multi-row insert. */
const PAGE = 500;

/**
 * Tables whose rows never change once written: copied insert-if-absent, then checked equal by
 * the named column (the audit trail's hash covers the whole entry and the one before it).
 */
const APPEND_ONLY = new Map([['audit_log', 'hash']]);

/**
 * Copies every control table (users with their password hashes, apps, keys, members, links,
 * partners, postback outbox and attempts, refresh tokens, signing keys, the audit trail) from
 * one control store into another — migrate-data: PGlite into PostgreSQL. Both must be migrated
 * to the same schema version first (opening them does it).
 *
 * Idempotent: rows are upserted by primary key, so a second run leaves the same rows (and takes
 * along changes made in the source in between). The audit trail is append-only (a trigger
 * refuses updates): its rows are inserted when absent, and a target whose trail differs from the
 * source's (someone used the target before the migration) stops the copy with an error, because
 * the hash chain could not be verified any more.
 *
 * Values travel as text and are cast back to the column's type, so every type (jsonb, arrays,
 * timestamps, bytea) round-trips exactly. Identity sequences are moved past the copied ids.
 */
export async function copyControlData(source: SqlDb, target: SqlDb, onProgress: OnProgress = () => {}): Promise<Record<string, number>> {
  const tables = await controlTables(source);
  const targetNames = new Set((await controlTables(target)).map((t) => t.name));
  const missing = tables.filter((t) => !targetNames.has(t.name)).map((t) => t.name);
  if (missing.length > 0) throw new Error(`the target database lacks control tables ${missing.join(', ')}: are both on the same version?`);
  const copied: Record<string, number> = {};
  for (const table of tables) {
    const step = `control: ${table.name}`;
    const [{ n }] = (await source.query<{ n: number | string }>(`select count(*) as n from "${table.name}"`)) as [{ n: number | string }];
    const total = Number(n);
    let done = 0;
    onProgress({ step, done, total });
    const order = table.primaryKey.map((c) => `"${c}"`).join(', ');
    const select = `select ${table.columns.map((c) => `"${c.name}"::text as "${c.name}"`).join(', ')} from "${table.name}" order by ${order} limit ${PAGE} offset $1`;
    for (;;) {
      const rows = await source.query<Record<string, string | null>>(select, [done]);
      if (rows.length === 0) break;
      await target.query(
        upsertSql(table, rows.length),
        rows.flatMap((row) => table.columns.map((c) => row[c.name] ?? null)),
      );
      done += rows.length;
      onProgress({ step, done, total });
    }
    await advanceSequences(target, table);
    const checked = APPEND_ONLY.get(table.name);
    if (checked) await assertSameRows(source, target, table, checked);
    copied[table.name] = done;
  }
  return copied;
}

function upsertSql(table: ControlTable, rowCount: number): string {
  const width = table.columns.length;
  const tuples: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    tuples.push(`(${table.columns.map((c, i) => `$${r * width + i + 1}::${c.type}`).join(', ')})`);
  }
  const key = table.primaryKey.map((c) => `"${c}"`).join(', ');
  const rest = table.columns.filter((c) => !table.primaryKey.includes(c.name));
  const onConflict =
    APPEND_ONLY.has(table.name) || rest.length === 0
      ? 'do nothing'
      : `do update set ${rest.map((c) => `"${c.name}" = excluded."${c.name}"`).join(', ')}`;
  return `insert into "${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(', ')}) values ${tuples.join(', ')} on conflict (${key}) ${onConflict}`;
}

/** An identity or serial column's sequence must hand out ids above the copied ones. */
async function advanceSequences(target: SqlDb, table: ControlTable): Promise<void> {
  for (const column of table.columns) {
    const [row] = await target.query<{ seq: string | null }>(`select pg_get_serial_sequence($1, $2) as seq`, [table.name, column.name]);
    if (!row?.seq) continue;
    await target.query(`select setval($1::regclass, greatest((select max("${column.name}") from "${table.name}"), 1))`, [row.seq]);
  }
}

/** Every source row is in the target with the same `column` (page by page). */
async function assertSameRows(source: SqlDb, target: SqlDb, table: ControlTable, column: string): Promise<void> {
  const order = table.primaryKey.map((c) => `"${c}"`).join(', ');
  const key = table.primaryKey.map((c) => `"${c}"::text`).join(` || '|' || `);
  const rowText = `select ${key} as k, "${column}"::text as r from "${table.name}" order by ${order} limit ${PAGE} offset $1`;
  for (let offset = 0; ; offset += PAGE) {
    const rows = await source.query<{ k: string; r: string }>(rowText, [offset]);
    if (rows.length === 0) return;
    const keys = rows.map((r) => r.k);
    const there = await target.query<{ k: string; r: string }>(
      `select ${key} as k, "${column}"::text as r from "${table.name}" where ${key} = any($1::text[])`,
      [keys],
    );
    const byKey = new Map(there.map((r) => [r.k, r.r]));
    for (const row of rows) {
      if (byKey.get(row.k) !== row.r) {
        throw new Error(
          `${table.name} row ${row.k} differs between the embedded installation and the target database: ` +
            'the target was used before the migration; migrate into an empty database',
        );
      }
    }
  }
}
