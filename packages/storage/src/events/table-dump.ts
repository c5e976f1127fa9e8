import { EVENT_TABLES } from './clickhouse-schema.ts';

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
