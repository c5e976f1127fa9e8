import { createHash } from 'node:crypto';
import type { IdentityUpdate } from '@unmogrowp/schema';
import { COSTS_DELETE_SQL, COSTS_LIST_SQL } from './analytics-queries.ts';
import type { CostRow, InstallRow, TouchRow } from './analytics-types.ts';
import { INSTALL_COLUMNS, installValues, TOUCH_COLUMNS, touchValues } from './attribution-rows.ts';
import {
  CURRENT_INSTALLS_SQL,
  type StoredDeviceInstall,
  type StoredTouch,
  storedDeviceInstallOf,
  storedTouchOf,
  TOUCHES_SINCE_SQL,
} from './attribution-state.ts';
import { EVENT_STORE_DDL, type EventTable, INSERT_SETTINGS } from './clickhouse-schema.ts';
import { COST_COLUMNS, costValues, importVersion, normalizeCosts } from './cost-rows.ts';
import { dropOlderThan, minimiseIps, type RetentionCounts } from './data-minimisation.ts';
import { EventAnalytics } from './event-analytics.ts';
import { EXISTING_IDS_SQL, OBJECT_EXISTS_SQL, PING_SQL, RECENT_IDS_SQL, storedIdOf, toMillisParam, toNumber } from './event-queries.ts';
import { eventRowEncoder } from './event-row-prefix.ts';
import { EVENT_COLUMNS, IDENTITY_COLUMNS, identityValues, type RowEncoder, toNdjson } from './event-rows.ts';
import {
  type CostFilter,
  type CostKey,
  type EventStore,
  type InsertOptions,
  idKey,
  type StoredEvent,
  type StoredId,
} from './event-store.ts';
import { type EventStoreTransport, jsonLines, type RowStream } from './event-store-transport.ts';
import { openExport } from './export-stream.ts';
import {
  FX_RATE_COLUMNS,
  FX_RATES_DELETE_SQL,
  FX_RATES_LIST_SQL,
  type FxRateFilter,
  type FxRateKey,
  type FxRateRow,
  fxRateValues,
  normalizeFxRates,
} from './fx-rate-rows.ts';
import {
  type EventStoreEraseCounts,
  erasePersonRows,
  findPerson,
  type PersonIdentifiers,
  type PersonKey,
  type SqlRunner,
} from './person-erase.ts';
import { migrateRawSortKeys } from './raw-sort-keys.ts';
import {
  FLOOD_CLICKS_SINCE_SQL,
  type FloodClick,
  floodClickOf,
  REENGAGEMENT_COLUMNS,
  REENGAGEMENTS_SINCE_SQL,
  type ReengagementRow,
  reengagementOf,
  reengagementValues,
} from './restart-state.ts';
import { type RollupHours, repairRollupHours } from './rollup-repair.ts';
import { migrateRollups } from './rollups.ts';
import { SerialQueue } from './serial-queue.ts';
import { costDeleteParams, costListParams, costOf, fxRateDeleteParams, fxRateListParams, fxRateOf } from './spend-lists.ts';
import { type DumpedTable, dumpTableParts, type EventStoreDump, type TableDumpPart, tablePartInsert } from './table-dump.ts';

/** Rows per chunk yielded by the start-up scans (`recentIds`, `touchesSince`, `currentInstalls`). */
const SCAN_CHUNK = 10_000;

/**
 * The event store over any transport: chDB in this process or a ClickHouse server. One SQL
 * dialect, one set of row mappers; the transport only moves statements and bytes.
 */
export function createTransportEventStore(transport: EventStoreTransport): EventStore & EventStoreDump {
  return new TransportEventStore(transport);
}

/**
 * A retried insert must not count twice (the first try may have landed while its answer was
 * lost). The tables keep a deduplication window (clickhouse-schema.ts); this token names the
 * block by its content, so the engine drops the retry whatever way it cuts the body into
 * blocks, and the rollup views drop theirs with it.
 */
export function insertDedupeToken(table: string, values: Buffer): string {
  return `${table}:${createHash('sha256').update(values).digest('base64url')}`;
}

class TransportEventStore implements EventStore, EventStoreDump {
  /** One scan at a time (the port's promise); chDB also has one stream per session. */
  readonly #scans = new SerialQueue();
  readonly #inFlight = new Set<Promise<unknown>>();
  #activeScan: RowStream | undefined;
  #closing: Promise<void> | undefined;
  #privacy: Promise<unknown> = Promise.resolve();
  readonly #analytics: EventAnalytics;

  constructor(private readonly transport: EventStoreTransport) {
    this.#analytics = new EventAnalytics((sql, params) =>
      this.#track(async () => jsonLines<Record<string, unknown>>(await transport.query(sql, params, 'JSONEachRow'))),
    );
  }

  readonly overview: EventStore['overview'] = (appId, range, options) => this.#analytics.overview(appId, range, options);
  readonly overviewWithMissingRates: EventStore['overviewWithMissingRates'] = (appId, range, options) =>
    this.#analytics.overviewWithMissingRates(appId, range, options);
  readonly attribution: EventStore['attribution'] = (appId, range, options) => this.#analytics.attribution(appId, range, options);
  readonly timeseries: EventStore['timeseries'] = (appId, range, options) => this.#analytics.timeseries(appId, range, options);
  readonly retention: EventStore['retention'] = (appId, range, options) => this.#analytics.retention(appId, range, options);
  readonly ltv: EventStore['ltv'] = (appId, range, options) => this.#analytics.ltv(appId, range, options);
  readonly installs: EventStore['installs'] = (appId, range, options) => this.#analytics.installs(appId, range, options);
  readonly fraud: EventStore['fraud'] = (appId, range) => this.#analytics.fraud(appId, range);
  readonly linkStats: EventStore['linkStats'] = (appId, range) => this.#analytics.linkStats(appId, range);
  readonly missingRates: EventStore['missingRates'] = (appId, range, options) => this.#analytics.missingRates(appId, range, options);
  /** Tracked until its first chunk; after that close() stops it through the transport. */
  readonly exportTable: EventStore['exportTable'] = (appId, table, range, options) =>
    this.#track(() => openExport(this.transport, appId, table, range, options));

  /**
   * Tables, then rollups. The chDB transport runs every command on its writer session, where
   * inserts wait their turn, so no insert lands between a rollup's backfill and its views; on a
   * server, run migrate before any writer starts (a rollup is only rebuilt when its views are
   * missing: on first start and after an upgrade that adds one). Last, raw tables of an earlier
   * release are re-sorted by hour (raw-sort-keys.ts), with every view in place to move.
   */
  migrate(): Promise<void> {
    return this.#track(async () => {
      for (const ddl of EVENT_STORE_DDL) await this.transport.command(ddl);
      await migrateRollups(
        (sql) => this.transport.command(sql),
        async (name) => {
          const text = await this.transport.query(OBJECT_EXISTS_SQL, { name }, 'JSONEachRow');
          return toNumber(jsonLines<{ n: unknown }>(text)[0]?.n, 'n') > 0;
        },
      );
      await migrateRawSortKeys(this.#runner());
    });
  }

  insertEvents(events: readonly StoredEvent[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('events', EVENT_COLUMNS, events, eventRowEncoder(options?.eventRowPrefix), options);
  }

  insertIdentities(items: readonly IdentityUpdate[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('identities', IDENTITY_COLUMNS, items, identityValues, options);
  }

  insertClicks(rows: readonly TouchRow[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('clicks', TOUCH_COLUMNS, rows, touchValues, options);
  }

  insertImpressions(rows: readonly TouchRow[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('impressions', TOUCH_COLUMNS, rows, touchValues, options);
  }

  insertInstalls(rows: readonly InstallRow[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('installs', INSTALL_COLUMNS, rows, installValues, options);
  }

  /**
   * No dedupe token: every import carries a new `imported_at`, so its bytes differ from any
   * earlier import even where a table deduplicates blocks (a replicated `costs` does by
   * default), and the newest import wins (A, B, A again ends at A).
   */
  async upsertCosts(appId: string, rows: readonly CostRow[]): Promise<void> {
    const clean = normalizeCosts(rows);
    await this.#insertRows('costs', COST_COLUMNS, clean, costValues(appId, importVersion()), { dedupe: false });
  }

  async listCosts(appId: string, filter: CostFilter = {}): Promise<Required<CostRow>[]> {
    this.#assertOpen();
    return (await this.#rows(COSTS_LIST_SQL, costListParams(appId, filter))).map(costOf);
  }

  async deleteCosts(appId: string, keys: readonly CostKey[]): Promise<void> {
    this.#assertOpen();
    for (const key of keys) await this.#track(() => this.transport.command(COSTS_DELETE_SQL, costDeleteParams(appId, key)));
  }

  /** No dedupe token, like costs: each import's `imported_at` is new, and the newest import wins. */
  async upsertFxRates(appId: string, rows: readonly FxRateRow[]): Promise<void> {
    const clean = normalizeFxRates(rows);
    await this.#insertRows('fx_rates', FX_RATE_COLUMNS, clean, fxRateValues(appId, importVersion()), { dedupe: false });
  }

  async listFxRates(appId: string, filter: FxRateFilter = {}): Promise<FxRateRow[]> {
    this.#assertOpen();
    return (await this.#rows(FX_RATES_LIST_SQL, fxRateListParams(appId, filter))).map(fxRateOf);
  }

  async deleteFxRates(appId: string, keys: readonly FxRateKey[]): Promise<void> {
    this.#assertOpen();
    for (const key of keys) await this.#track(() => this.transport.command(FX_RATES_DELETE_SQL, fxRateDeleteParams(appId, key)));
  }

  async #rows(sql: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return this.#track(async () => jsonLines<Record<string, unknown>>(await this.transport.query(sql, params, 'JSONEachRow')));
  }

  async #insertRows<T>(
    table: string,
    columns: readonly string[],
    items: readonly T[],
    toValues: RowEncoder<T>,
    options: InsertOptions & { dedupe?: boolean } = {},
  ): Promise<void> {
    this.#assertOpen();
    if (items.length === 0) return;
    // An erase or retention run in progress goes first (see #exclusive).
    await this.#privacy;
    const values = toNdjson(items, toValues);
    const token = options.dedupeToken === undefined ? insertDedupeToken(table, values) : `${table}:${options.dedupeToken}`;
    const settings = options.dedupe === false ? INSERT_SETTINGS : { ...INSERT_SETTINGS, insert_deduplication_token: token };
    await this.#track(() => this.transport.insert({ table, columns, values, format: 'JSONCompactEachRow', settings }));
  }

  async existingIds(table: EventTable, keys: readonly { app_id: string; event_id: string }[]): Promise<Set<string>> {
    const sql = EXISTING_IDS_SQL[table];
    if (sql === undefined) throw new Error(`existingIds: unknown table ${String(table)}`);
    this.#assertOpen();
    const byApp = new Map<string, string[]>();
    for (const { app_id, event_id } of keys) {
      const ids = byApp.get(app_id);
      if (ids) ids.push(event_id);
      else byApp.set(app_id, [event_id]);
    }
    const found = new Set<string>();
    const chunkSize = this.transport.maxIdsPerQuery;
    for (const [app, ids] of byApp) {
      for (let i = 0; i < ids.length; i += chunkSize) {
        const chunk = ids.slice(i, i + chunkSize);
        // One query per chunk, so an overview can slip in between chunks.
        const text = await this.#track(() => this.transport.query(sql, { app, ids: chunk }, 'JSONCompactEachRow'));
        for (const [id] of jsonLines<[string]>(text)) found.add(idKey(app, id));
      }
    }
    return found;
  }

  recentIds(sinceMs: number): AsyncIterable<StoredId[]> {
    const since = toMillisParam(sinceMs, 'sinceMs');
    return this.#scan(RECENT_IDS_SQL, { since }, storedIdOf);
  }

  touchesSince(sinceMs: number): AsyncIterable<StoredTouch[]> {
    return this.#scan(TOUCHES_SINCE_SQL, { since: toMillisParam(sinceMs, 'sinceMs') }, storedTouchOf);
  }

  currentInstalls(): AsyncIterable<StoredDeviceInstall[]> {
    return this.#scan(CURRENT_INSTALLS_SQL, {}, storedDeviceInstallOf);
  }

  reengagementsSince(sinceMs: number): AsyncIterable<ReengagementRow[]> {
    return this.#scan(REENGAGEMENTS_SINCE_SQL, { since: toMillisParam(sinceMs, 'sinceMs') }, reengagementOf);
  }

  floodClicksSince(sinceMs: number): AsyncIterable<FloodClick[]> {
    return this.#scan(FLOOD_CLICKS_SINCE_SQL, { since: toMillisParam(sinceMs, 'sinceMs') }, floodClickOf);
  }

  insertReengagements(rows: readonly ReengagementRow[], options?: InsertOptions): Promise<void> {
    return this.#insertRows('reengagements', REENGAGEMENT_COLUMNS, rows, reengagementValues, options);
  }

  /** Partition by partition (table-dump.ts), each read tracked like any other. */
  dumpTables(): AsyncIterable<TableDumpPart> {
    return dumpTableParts((sql, params, format) => this.#track(() => this.transport.query(sql, params, format)));
  }

  async loadTablePart(table: DumpedTable, bytes: Uint8Array): Promise<void> {
    const insert = tablePartInsert(table, bytes);
    if (insert) await this.#track(() => this.transport.insert(insert));
  }

  /** A start-up scan, in chunks of SCAN_CHUNK rows, one scan at a time; close() ends it. */
  async *#scan<R, T>(sql: string, params: Record<string, unknown>, map: (row: R) => T): AsyncIterable<T[]> {
    this.#assertOpen();
    const release = await this.#scans.acquire();
    let stream: RowStream | undefined;
    try {
      if (this.#closing) return;
      stream = this.transport.stream(sql, params);
      this.#activeScan = stream;
      let batch: T[] = [];
      for await (const rows of stream) {
        for (const row of rows) {
          batch.push(map(row as R));
          if (batch.length === SCAN_CHUNK) {
            yield batch;
            batch = [];
            // The consumer may have closed the store while holding this chunk.
            if (this.#closing) return;
          }
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      this.#activeScan = undefined;
      stream?.cancel();
      release();
    }
  }

  findPerson(appId: string, key: PersonKey): Promise<PersonIdentifiers> {
    return this.#exclusive(() => findPerson(this.#runner(), appId, key));
  }

  erasePerson(appId: string, person: PersonIdentifiers): Promise<EventStoreEraseCounts> {
    return this.#exclusive(() => erasePersonRows(this.#runner(), appId, person));
  }

  dropOlderThan(appId: string, cutoffMs: number): Promise<RetentionCounts> {
    return this.#exclusive(() => dropOlderThan(this.#runner(), appId, toMillisParam(cutoffMs, 'cutoffMs')));
  }

  repairRollups(cells: readonly RollupHours[]): Promise<void> {
    return this.#exclusive(() => repairRollupHours(this.#runner(), cells));
  }

  minimiseIps(nowMs: number): Promise<void> {
    return this.#exclusive(() => minimiseIps(this.#runner(), toMillisParam(nowMs, 'nowMs')));
  }

  /** Plain SQL through the transport (person-erase.ts, data-minimisation.ts): the same statements on chDB and a server. */
  #runner(): SqlRunner {
    return {
      rows: async (sql, params) => jsonLines<Record<string, unknown>>(await this.transport.query(sql, params, 'JSONEachRow')),
      run: (sql, params) => this.transport.command(sql, params),
    };
  }

  /**
   * Privacy work one at a time, and this store's inserts wait for it: no row lands between a
   * rollup hour's delete and its refill (which would count it twice). Other processes writing
   * to the same ClickHouse server are not held; see docs/privacy.md.
   */
  #exclusive<T>(op: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const run = this.#privacy.then(() => this.#track(op));
    this.#privacy = run.catch(() => {});
    return run;
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    const text = await this.#track(() => this.transport.query(PING_SQL, {}, 'JSONEachRow'));
    if (!text.includes('"ok":1')) throw new Error(`event store ping answered ${JSON.stringify(text)}`);
  }

  /** Lets running work finish, stops a running scan, then releases the engine. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#activeScan?.cancel();
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.transport.close();
    })();
    return this.#closing;
  }

  /** Synchronous, so work asked for after close() began is refused instead of meeting a closed engine. */
  #assertOpen(): void {
    if (this.#closing) throw new Error('the event store is closed');
  }

  #track<T>(op: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const running = op();
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }
}
