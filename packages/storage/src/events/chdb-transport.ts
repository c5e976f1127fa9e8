import type { ChdbQueryStream, Session } from 'chdb';
import { exportViaFile } from './chdb-export-bytes.ts';
import type { ByteStream, EventStoreTransport, RowInsert, RowStream } from './event-store-transport.ts';
import { SerialQueue } from './serial-queue.ts';
import type { EngineExportFormat } from './table-export.ts';

/**
 * The event store's transport on chDB, the ClickHouse engine inside this process.
 *
 * How chDB is held (see the README, "Rules (how chDB is held)"): async calls only; three
 * sessions on the one data path, each running one operation at a time through its own queue.
 * Inserts and DDL go to `writer`, queries to `reader`, scans to `streamer`, so a large batch
 * insert never delays an overview and a start-up scan never delays either. A query running
 * while an insert lands sees the table as it was before or after that insert's parts.
 *
 * A raw-data export is written by the engine into a scratch file and then streamed for as long
 * as its client downloads; each gets a session of its own (`openSession`, the same data path),
 * closed when it ends, so a large export never holds up queries, start-up scans or another one.
 */
export class ChdbTransport implements EventStoreTransport {
  /** Bound parameters are handed to the engine in memory: no length limit to respect. */
  readonly maxIdsPerQuery = 5000;
  readonly #writes = new SerialQueue();
  readonly #reads = new SerialQueue();
  readonly #streams = new Set<ChdbQueryStream>();
  readonly #exports = new Set<() => void>();

  constructor(
    private readonly writer: Session,
    private readonly reader: Session,
    private readonly streamer: Session,
    private readonly openSession: () => Session,
    /** Where exports are written before they are sent (chdb-export-bytes.ts). */
    private readonly scratchDir: string,
  ) {}

  query(sql: string, params: Record<string, unknown>, format: 'JSONEachRow' | 'JSONCompactEachRow'): Promise<string> {
    return this.#reads.run(async () => (await this.reader.queryBindAsync(sql, params, { format })).text());
  }

  stream(sql: string, params: Record<string, unknown>): RowStream {
    let stream: ChdbQueryStream | undefined;
    let cancelled = false;
    const streams = this.#streams;
    const reads = this.#reads;
    const streamer = this.streamer;
    return {
      cancel() {
        cancelled = true;
        if (stream && !stream.closed) stream.cancel();
      },
      async *[Symbol.asyncIterator]() {
        // Started while holding the reader's turn: chDB binds stream parameters outside its own
        // lock for bound queries, and two bindings at once on one engine can clobber each other.
        stream = await reads.run(async () => streamer.queryStreamBind(sql, params, { format: 'JSONEachRow' }));
        streams.add(stream);
        try {
          if (cancelled) return;
          for await (const chunk of stream) yield chunk.rows<Record<string, unknown>>();
        } finally {
          streams.delete(stream);
          if (!stream.closed) stream.cancel();
        }
      },
    };
  }

  /** Written whole by the engine into a scratch file, then streamed from disk (chdb-export-bytes.ts says why). */
  streamBytes(sql: string, params: Record<string, unknown>, format: EngineExportFormat): ByteStream {
    let session: Session | undefined;
    let cancelled = false;
    const exports = this.#exports;
    const openSession = this.openSession;
    const scratch = this.scratchDir;
    const cancel = () => {
      cancelled = true;
      // close() defers the native teardown until the statement in flight has landed.
      session?.close();
    };
    return {
      cancel,
      async *[Symbol.asyncIterator]() {
        exports.add(cancel);
        try {
          if (cancelled) return;
          session = openSession();
          yield* exportViaFile(session, sql, params, format, scratch, () => cancelled);
        } finally {
          exports.delete(cancel);
          session?.close();
        }
      },
    };
  }

  async insert({ table, columns, values, format, settings }: RowInsert): Promise<void> {
    await this.#writes.run(() => this.writer.insert({ table, columns, values, format, settings }));
  }

  async command(sql: string, params?: Record<string, unknown>): Promise<void> {
    await this.#writes.run(() => (params ? this.writer.queryBindAsync(sql, params) : this.writer.queryAsync(sql)));
  }

  async ping(): Promise<void> {
    await this.#reads.run(() => this.reader.queryAsync('SELECT 1'));
  }

  async close(): Promise<void> {
    for (const s of this.#streams) s.cancel();
    for (const cancel of this.#exports) cancel();
    await Promise.all([this.#writes.idle(), this.#reads.idle()]);
    this.writer.close();
    this.reader.close();
    this.streamer.close();
    // Native teardown can lag behind close(); wait so the directory is free when we resolve.
    await (await import('chdb')).drainPending(); // loaded lazily, as in chdb-event-store.ts
  }
}
