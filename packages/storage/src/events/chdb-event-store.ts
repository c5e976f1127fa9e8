import { mkdirSync } from 'node:fs';
import type { IdentityUpdate } from '@unmogrowp/schema';
import { type ChdbQueryStream, drainPending, Session } from 'chdb';
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
import { EXISTING_IDS_SQL, OBJECT_EXISTS_SQL, PING_SQL, RECENT_IDS_SQL, toMillisParam, toNumber } from './event-queries.ts';
import { EVENT_COLUMNS, eventValues, IDENTITY_COLUMNS, identityValues, toNdjson } from './event-rows.ts';
import { type EventStore, idKey, type StoredEvent, type StoredId } from './event-store.ts';
import {
  type EventStoreEraseCounts,
  erasePersonRows,
  findPerson,
  type PersonIdentifiers,
  type PersonKey,
  type SqlRunner,
} from './person-erase.ts';
import { migrateRollups } from './rollups.ts';
import { SerialQueue } from './serial-queue.ts';

/** Ids per `existingIds` query: keeps each bound parameter well under a megabyte. */
const EXISTING_IDS_CHUNK = 5000;
/** Rows per chunk yielded by the start-up scans (`recentIds`, `touchesSince`, `currentInstalls`). */
const RECENT_IDS_CHUNK = 10_000;

/**
 * Engine flags given at connect (they cannot be `SET` later). Quoted 64-bit integers keep
 * counts exact through JSON.parse; databases load before the first query instead of lazily.
 */
const CONNECTION_ARGS = ['--output_format_json_quote_64bit_integers=1', '--async_load_databases=0'];

/**
 * The event store on chDB, the ClickHouse engine inside this process, with its data in `dir`.
 *
 * How chDB is held (ARCHITECTURE.md "Why chDB"): async calls only; three sessions on the one
 * data path, each running one operation at a time through its own queue. Inserts (and DDL) go
 * to `writer`, queries to `reader`, the `recentIds` stream to `streamer`, so a large batch
 * insert never delays an overview and a start-up scan never delays either. A query running
 * while an insert lands sees the table as it was before or after that insert's parts.
 *
 * Only one process may open `dir` (the engine locks it); opening it twice fails with a sentence
 * saying so.
 */
export async function openChdbEventStore(dir: string): Promise<EventStore> {
  mkdirSync(dir, { recursive: true });
  const sessions: Session[] = [];
  try {
    for (let i = 0; i < 3; i++) sessions.push(new Session(dir, { connectionArgs: CONNECTION_ARGS }));
  } catch (err) {
    for (const s of sessions) s.close();
    throw new Error(
      `Cannot open the event store at ${dir}: ${(err as Error).message}. ` +
        'Only one process may use a data directory: stop the other unmogrowp process using it, or give this one another DATA_DIR.',
      { cause: err },
    );
  }
  const [writer, reader, streamer] = sessions as [Session, Session, Session];
  return new ChdbEventStore(writer, reader, streamer);
}

interface RawId {
  app_id: string;
  event_id: string;
  received_ms: string | number;
}

class ChdbEventStore implements EventStore {
  readonly #writes = new SerialQueue();
  readonly #reads = new SerialQueue();
  readonly #streams = new SerialQueue();
  #activeStream: ChdbQueryStream | undefined;
  #closing: Promise<void> | undefined;
  readonly #analytics: EventAnalytics;

  constructor(
    private readonly writer: Session,
    private readonly reader: Session,
    private readonly streamer: Session,
  ) {
    this.#analytics = new EventAnalytics((sql, params) =>
      this.#read(async () =>
        jsonLines<Record<string, unknown>>((await this.reader.queryBindAsync(sql, params, { format: 'JSONEachRow' })).text()),
      ),
    );
  }

  readonly overview: EventStore['overview'] = (appId, range) => this.#analytics.overview(appId, range);
  readonly attribution: EventStore['attribution'] = (appId, range, options) => this.#analytics.attribution(appId, range, options);
  readonly timeseries: EventStore['timeseries'] = (appId, range, options) => this.#analytics.timeseries(appId, range, options);
  readonly retention: EventStore['retention'] = (appId, range, options) => this.#analytics.retention(appId, range, options);
  readonly installs: EventStore['installs'] = (appId, range, options) => this.#analytics.installs(appId, range, options);
  readonly fraud: EventStore['fraud'] = (appId, range) => this.#analytics.fraud(appId, range);

  /** Tables, then rollups, in one writer turn: no insert can land between a rollup's backfill and its views. */
  migrate(): Promise<void> {
    return this.#write(async () => {
      for (const ddl of EVENT_STORE_DDL) await this.writer.queryAsync(ddl);
      await migrateRollups(
        async (sql) => {
          await this.writer.queryAsync(sql);
        },
        async (name) => {
          const text = (await this.writer.queryBindAsync(OBJECT_EXISTS_SQL, { name }, { format: 'JSONEachRow' })).text();
          return toNumber(jsonLines<{ n: unknown }>(text)[0]?.n, 'n') > 0;
        },
      );
    });
  }

  insertEvents(events: readonly StoredEvent[]): Promise<void> {
    return this.#insertRows('events', EVENT_COLUMNS, events, eventValues);
  }

  insertIdentities(items: readonly IdentityUpdate[]): Promise<void> {
    return this.#insertRows('identities', IDENTITY_COLUMNS, items, identityValues);
  }

  insertClicks(rows: readonly TouchRow[]): Promise<void> {
    return this.#insertRows('clicks', TOUCH_COLUMNS, rows, touchValues);
  }

  insertImpressions(rows: readonly TouchRow[]): Promise<void> {
    return this.#insertRows('impressions', TOUCH_COLUMNS, rows, touchValues);
  }

  insertInstalls(rows: readonly InstallRow[]): Promise<void> {
    return this.#insertRows('installs', INSTALL_COLUMNS, rows, installValues);
  }

  async upsertCosts(appId: string, rows: readonly CostRow[]): Promise<void> {
    const clean = normalizeCosts(rows);
    await this.#insertRows('costs', COST_COLUMNS, clean, costValues(appId, importVersion()));
  }

  async #insertRows<T>(table: string, columns: readonly string[], items: readonly T[], toValues: (item: T) => readonly unknown[]) {
    this.#assertOpen();
    if (items.length === 0) return;
    const values = toNdjson(items, toValues);
    await this.#write(() => this.writer.insert({ table, columns, values, format: 'JSONCompactEachRow', settings: INSERT_SETTINGS }));
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
    for (const [app, ids] of byApp) {
      for (let i = 0; i < ids.length; i += EXISTING_IDS_CHUNK) {
        const chunk = ids.slice(i, i + EXISTING_IDS_CHUNK);
        // One chunk per queue turn, so an overview can slip in between chunks.
        const text = await this.#read(async () =>
          (await this.reader.queryBindAsync(sql, { app, ids: chunk }, { format: 'JSONCompactEachRow' })).text(),
        );
        for (const [id] of jsonLines<[string]>(text)) found.add(idKey(app, id));
      }
    }
    return found;
  }

  recentIds(sinceMs: number): AsyncIterable<StoredId[]> {
    const since = toMillisParam(sinceMs, 'sinceMs');
    return this.#scan(RECENT_IDS_SQL, { since }, (row: RawId) => ({
      app_id: row.app_id,
      event_id: row.event_id,
      received_at: toNumber(row.received_ms, 'received_ms'),
    }));
  }

  touchesSince(sinceMs: number): AsyncIterable<StoredTouch[]> {
    return this.#scan(TOUCHES_SINCE_SQL, { since: toMillisParam(sinceMs, 'sinceMs') }, storedTouchOf);
  }

  currentInstalls(): AsyncIterable<StoredDeviceInstall[]> {
    return this.#scan(CURRENT_INSTALLS_SQL, {}, storedDeviceInstallOf);
  }

  /** A start-up scan on the `streamer` session, in chunks, one scan at a time. */
  async *#scan<R, T>(sql: string, params: Record<string, unknown>, map: (row: R) => T): AsyncIterable<T[]> {
    const release = await this.#streams.acquire();
    let stream: ChdbQueryStream | undefined;
    try {
      // Started while holding the reader's turn: chDB binds stream parameters outside its own
      // lock for bound queries, and two bindings at once on one engine can clobber each other.
      stream = await this.#read(async () => this.streamer.queryStreamBind(sql, params, { format: 'JSONEachRow' }));
      this.#activeStream = stream;
      let batch: T[] = [];
      for await (const chunk of stream) {
        for (const row of chunk.rows<R>()) {
          batch.push(map(row));
          if (batch.length === RECENT_IDS_CHUNK) {
            yield batch;
            batch = [];
            // The consumer may have closed the store while holding this chunk.
            if (this.#closing) return;
          }
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      this.#activeStream = undefined;
      if (stream && !stream.closed) stream.cancel();
      release();
    }
  }

  // Privacy work runs on the writer session, so no insert lands between a rollup's delete and refill.
  findPerson(appId: string, key: PersonKey): Promise<PersonIdentifiers> {
    return this.#writeValue(() => findPerson(this.#runner(), appId, key));
  }

  erasePerson(appId: string, person: PersonIdentifiers): Promise<EventStoreEraseCounts> {
    return this.#writeValue(() => erasePersonRows(this.#runner(), appId, person));
  }

  dropOlderThan(appId: string, cutoffMs: number): Promise<RetentionCounts> {
    return this.#writeValue(() => dropOlderThan(this.#runner(), appId, toMillisParam(cutoffMs, 'cutoffMs')));
  }

  minimiseIps(nowMs: number): Promise<void> {
    return this.#writeValue(() => minimiseIps(this.#runner(), toMillisParam(nowMs, 'nowMs')));
  }

  #runner(): SqlRunner {
    return {
      rows: async (sql, params) => jsonLines((await this.writer.queryBindAsync(sql, params, { format: 'JSONEachRow' })).text()),
      run: async (sql, params) => void (await this.writer.queryBindAsync(sql, params)),
    };
  }

  async #writeValue<T>(op: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.#writes.run(op);
  }

  async ping(): Promise<void> {
    const text = await this.#read(async () => (await this.reader.queryAsync(PING_SQL, { format: 'JSONEachRow' })).text());
    if (!text.includes('"ok":1')) throw new Error(`event store ping answered ${JSON.stringify(text)}`);
  }

  /** Lets queued work finish, stops a running `recentIds` scan, then releases the data directory. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#activeStream?.cancel();
      await Promise.all([this.#writes.idle(), this.#reads.idle()]);
      this.writer.close();
      this.reader.close();
      this.streamer.close();
      // Native teardown can lag behind close(); wait so the directory is free when we resolve.
      await drainPending();
    })();
    return this.#closing;
  }

  /** Synchronous, so work queued after close() began is refused instead of meeting a closed session. */
  #assertOpen(): void {
    if (this.#closing) throw new Error('the event store is closed');
  }

  async #write<T>(op: () => Promise<T>): Promise<void> {
    this.#assertOpen();
    await this.#writes.run(op);
  }

  async #read<T>(op: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.#reads.run(op);
  }
}

function jsonLines<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as T);
  return rows;
}
