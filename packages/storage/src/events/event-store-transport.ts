import type { EngineExportFormat } from './table-export.ts';

/**
 * What the event store needs from a ClickHouse engine, and nothing more: the only part that
 * differs between chDB in this process (`chdb-transport.ts`) and a ClickHouse server over HTTP
 * (`clickhouse-http-transport.ts`). Everything else — the SQL, the row mappers, chunking,
 * closing — is `transport-event-store.ts`, shared by both.
 *
 * Every statement is ClickHouse SQL with `{name:Type}` parameters; values never enter SQL text.
 */
export interface EventStoreTransport {
  /** A read-only statement; its rows as NDJSON text in `format`. */
  query(sql: string, params: Record<string, unknown>, format: RowFormat): Promise<string>;
  /**
   * A long read, in chunks of parsed `JSONEachRow` rows, so a start-up scan of millions of rows
   * never sits in memory whole. `cancel()` ends it early (also from another task).
   */
  stream(sql: string, params: Record<string, unknown>): RowStream;
  /**
   * A long read as the engine writes it in `format` (Parquet, CSV, NDJSON: the raw-data export),
   * pulled chunk by chunk so a large answer never sits in memory whole. `cancel()` ends it.
   */
  streamBytes(sql: string, params: Record<string, unknown>, format: EngineExportFormat): ByteStream;
  /** One insert: `values` is NDJSON in `format`, one row per line, columns in `columns` order. */
  insert(insert: RowInsert): Promise<void>;
  /** DDL and other statements that answer no rows (e.g. a `DELETE … WHERE app_id = {app:String}`). */
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** Throws when the engine cannot answer. */
  ping(): Promise<void>;
  /** Releases the engine; called once, after every operation has settled. */
  close(): Promise<void>;
  /** Ids per `existingIds` query: bound parameters travel in a URL over HTTP, whose length is limited. */
  readonly maxIdsPerQuery: number;
}

export type RowFormat = 'JSONEachRow' | 'JSONCompactEachRow';

export interface RowInsert {
  table: string;
  columns: readonly string[];
  values: Buffer;
  format: RowFormat;
  settings: Readonly<Record<string, string | number>>;
}

export interface RowStream extends AsyncIterable<Record<string, unknown>[]> {
  cancel(): void;
}

export interface ByteStream extends AsyncIterable<Uint8Array> {
  cancel(): void;
}

/** NDJSON text → one parsed value per non-empty line. */
export function jsonLines<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as T);
  return rows;
}
