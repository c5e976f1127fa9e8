import { EVENT_TABLES, INSERT_SETTINGS } from './clickhouse-schema.ts';
import { type EventStoreTransport, jsonLines, type RowInsert } from './event-store-transport.ts';

/**
 * The tables a backup carries: every table that holds rows of its own. Rollups are left out:
 * their materialized views fill them again as the base tables are inserted on restore.
 */
export const DUMPED_TABLES = [...EVENT_TABLES, 'costs', 'fx_rates'] as const;
export type DumpedTable = (typeof DUMPED_TABLES)[number];

/** One partition of one table as JSONEachRow (times as text, 64-bit integers quoted: exact both ways). */
export interface TableDumpPart {
  table: DumpedTable;
  partition: string;
  bytes: Uint8Array;
}

/** What an embedded event store offers `unmogrowp backup` and `restore`. */
export interface EventStoreDump {
  /** Every dumped table, partition by partition (one in memory at a time). Callers pause writes for a consistent copy. */
  dumpTables(): AsyncIterable<TableDumpPart>;
  /** Inserts a part produced by `dumpTables` into a migrated store. */
  loadTablePart(table: DumpedTable, bytes: Uint8Array): Promise<void>;
}

export function isDumpedTable(name: string): name is DumpedTable {
  return (DUMPED_TABLES as readonly string[]).includes(name);
}

export const PARTITIONS_SQL = (table: DumpedTable) => `SELECT DISTINCT _partition_id AS p FROM ${table} ORDER BY p`;
export const PARTITION_ROWS_SQL = (table: DumpedTable, columns: readonly string[]) =>
  `SELECT ${columns.map((c) => `\`${c}\``).join(', ')} FROM ${table} WHERE _partition_id = {p:String}`;
/** The columns an insert takes (not MATERIALIZED or ALIAS ones), in table order. */
export const TABLE_COLUMNS_SQL =
  "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String} AND default_kind NOT IN ('MATERIALIZED', 'ALIAS') ORDER BY position";

/**
 * Every dumped table, partition by partition, read through `query` (the store's, so close()
 * waits for it). Each part: a first line naming the columns, then the rows as compact JSON
 * (times as text, 64-bit integers quoted).
 */
export async function* dumpTableParts(query: EventStoreTransport['query']): AsyncIterable<TableDumpPart> {
  for (const table of DUMPED_TABLES) {
    const columns = jsonLines<{ name: string }>(await query(TABLE_COLUMNS_SQL, { t: table }, 'JSONEachRow')).map((c) => c.name);
    const partitions = jsonLines<{ p: string }>(await query(PARTITIONS_SQL(table), {}, 'JSONEachRow'));
    for (const { p } of partitions) {
      const rows = await query(PARTITION_ROWS_SQL(table, columns), { p }, 'JSONCompactEachRow');
      yield { table, partition: p, bytes: Buffer.from(`${JSON.stringify(columns)}\n${rows}`) };
    }
  }
}

/** The insert that loads one part of `dumpTableParts` back; none for a part without rows. */
export function tablePartInsert(table: DumpedTable, bytes: Uint8Array): RowInsert | undefined {
  if (!isDumpedTable(table)) throw new Error(`loadTablePart: unknown table ${String(table)}`);
  const buf = Buffer.from(bytes);
  const cut = buf.indexOf(10);
  const columns = JSON.parse(buf.subarray(0, cut).toString('utf8')) as string[];
  const values = buf.subarray(cut + 1);
  if (values.length === 0) return undefined;
  return { table, columns, values, format: 'JSONCompactEachRow', settings: INSERT_SETTINGS };
}
