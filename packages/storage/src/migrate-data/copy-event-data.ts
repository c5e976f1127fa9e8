import { EVENT_TABLES, ID_COLUMNS } from '../events/clickhouse-schema.ts';
import type { EventStore } from '../events/event-store.ts';
import { idKey } from '../events/event-store.ts';
import { type EventStoreTransport, jsonLines } from '../events/event-store-transport.ts';
import { insertDedupeToken } from '../events/transport-event-store.ts';
import type { OnProgress } from './progress.ts';

/** Costs and exchange rates come after the id tables; the rollup tables are not copied (see below). */
const COPIED_TABLES = [...EVENT_TABLES, 'costs', 'fx_rates'] as const;

export interface EventCopyResult {
  /** Rows read from the source, per table. */
  read: Record<string, number>;
  /** Rows the target did not have yet and received, per table. */
  inserted: Record<string, number>;
}

/**
 * Copies the analytics tables of one ClickHouse engine into another (migrate-data: chDB of an
 * embedded installation into a ClickHouse server) row by row as they are, idempotently:
 *
 * - the tables whose rows carry an id (events, identities, clicks, impressions, installs) get
 *   only the rows whose (app, id) the target lacks, so a second run inserts nothing;
 * - costs and fx_rates are copied whole: ReplacingMergeTrees read with FINAL or argMax, so a
 *   row copied twice (same key, same `imported_at`) counts once;
 * - the rollups are not copied: the target's materialized views fill them from the rows
 *   inserted here, exactly as from live inserts (and a row skipped as present adds nothing).
 *
 * `target` must have been migrated (tables and views exist); `targetStore` is the store over
 * `targetTransport`, used for its id look-ups.
 */
export async function copyEventData(
  source: EventStoreTransport,
  target: EventStoreTransport,
  targetStore: Pick<EventStore, 'existingIds'>,
  onProgress: OnProgress = () => {},
): Promise<EventCopyResult> {
  const result: EventCopyResult = { read: {}, inserted: {} };
  for (const table of COPIED_TABLES) {
    const total = await countRows(source, table);
    const step = `events: ${table}`;
    let done = 0;
    let inserted = 0;
    onProgress({ step, done, total });
    // ORDER BY keeps the blocks, and with them the dedupe tokens, the same from run to run.
    for await (const rows of source.stream(`SELECT * FROM ${table} ORDER BY ${orderOf(table)}`, {})) {
      const missing = table === 'costs' || table === 'fx_rates' ? rows : await absentRows(table, rows, targetStore);
      if (missing.length > 0) await insertRows(target, table, missing);
      inserted += missing.length;
      done += rows.length;
      onProgress({ step, done, total });
    }
    result.read[table] = done;
    result.inserted[table] = inserted;
  }
  return result;
}

function orderOf(table: (typeof COPIED_TABLES)[number]): string {
  if (table === 'costs') return 'app_id, date, media_source, campaign, imported_at';
  if (table === 'fx_rates') return 'app_id, to_currency, currency, date, imported_at';
  return `app_id, ${ID_COLUMNS[table]}`;
}

async function countRows(transport: EventStoreTransport, table: string): Promise<number> {
  const [row] = jsonLines<{ n: string | number }>(await transport.query(`SELECT count() AS n FROM ${table}`, {}, 'JSONEachRow'));
  return Number(row?.n ?? 0);
}

async function absentRows(
  table: (typeof EVENT_TABLES)[number],
  rows: Record<string, unknown>[],
  targetStore: Pick<EventStore, 'existingIds'>,
): Promise<Record<string, unknown>[]> {
  const idColumn = ID_COLUMNS[table];
  const keyOf = (row: Record<string, unknown>) => ({ app_id: String(row.app_id), event_id: String(row[idColumn]) });
  const present = await targetStore.existingIds(table, rows.map(keyOf));
  // A source table can hold one id twice (a retried block before block dedupe existed): copy it once.
  const seen = new Set<string>();
  return rows.filter((row) => {
    const { app_id, event_id } = keyOf(row);
    const key = idKey(app_id, event_id);
    if (present.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Rows as the source printed them (`SELECT *` in JSONEachRow: times as text in the column's
 * zone, 64-bit integers quoted), which the same column types read back unchanged.
 */
async function insertRows(target: EventStoreTransport, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0]!);
  const values = Buffer.from(`${rows.map((row) => JSON.stringify(columns.map((c) => row[c]))).join('\n')}\n`);
  await target.insert({
    table,
    columns,
    values,
    format: 'JSONCompactEachRow',
    // A retried block (an answer lost on the way) is dropped by the engine, views included.
    settings: { insert_deduplication_token: insertDedupeToken(table, values), deduplicate_blocks_in_dependent_materialized_views: 1 },
  });
}
