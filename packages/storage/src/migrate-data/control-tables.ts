import type { SqlTx } from '../control/sql-db.ts';

/** One table of the control store as the catalog describes it. */
export interface ControlTable {
  name: string;
  /** Stored columns in order, with their SQL type (generated columns left out: they are computed). */
  columns: { name: string; type: string }[];
  primaryKey: string[];
}

/** The migrations' own bookkeeping: the target's `migrate` writes it, never a copy. */
const NOT_COPIED = new Set(['schema_migrations']);

/**
 * The tables of the connection's schema in an order where every table comes after the tables its
 * foreign keys point at, so rows can be inserted table by table. Read from the catalog, so a
 * table added by a later migration is copied without changing migrate-data.
 */
export async function controlTables(db: SqlTx): Promise<ControlTable[]> {
  const names = (
    await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`)
  )
    .map((r) => r.name)
    .filter((n) => !NOT_COPIED.has(n));
  const edges = await db.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema() and c.relname <> p.relname`,
  );
  const tables: ControlTable[] = [];
  for (const name of dependencyOrder(names, edges)) {
    const columns = await db.query<{ name: string; type: string }>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relname = $1 and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
        order by a.attnum`,
      [name],
    );
    const primaryKey = (
      await db.query<{ name: string }>(
        `select a.attname as name
           from pg_index i
           join pg_class c on c.oid = i.indrelid
           join pg_namespace n on n.oid = c.relnamespace
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where n.nspname = current_schema() and c.relname = $1 and i.indisprimary
          order by array_position(i.indkey::int2[], a.attnum)`,
        [name],
      )
    ).map((r) => r.name);
    if (primaryKey.length === 0) throw new Error(`control table ${name} has no primary key: migrate-data cannot copy it idempotently`);
    for (const id of [name, ...columns.map((c) => c.name)]) assertPlainIdentifier(id);
    tables.push({ name, columns, primaryKey });
  }
  return tables;
}

/** Parents before children (Kahn's algorithm); alphabetical among equals, so the order is stable. */
export function dependencyOrder(names: readonly string[], edges: readonly { child: string; parent: string }[]): string[] {
  const known = new Set(names);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of edges) if (known.has(child) && known.has(parent)) parents.get(child)!.add(parent);
  const order: string[] = [];
  const left = new Set(names);
  while (left.size > 0) {
    const ready = [...left].filter((n) => [...parents.get(n)!].every((p) => !left.has(p))).sort();
    if (ready.length === 0) throw new Error(`control tables reference each other in a cycle: ${[...left].join(', ')}`);
    for (const n of ready) {
      order.push(n);
      left.delete(n);
    }
  }
  return order;
}

/** Names from the catalog go into SQL text (quoted); only plain lower-case identifiers are accepted. */
function assertPlainIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`control table or column name ${JSON.stringify(name)} is not a plain identifier`);
}
