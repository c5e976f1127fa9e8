import { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import type { ByteStream, EventStoreTransport, RowFormat, RowInsert, RowStream } from './event-store-transport.ts';
import type { EngineExportFormat } from './table-export.ts';

/**
 * The event store's transport on a ClickHouse server, through the official `@clickhouse/client`
 * over HTTP. The server runs many statements at once, so nothing is queued here: the client's
 * socket pool (`max_open_connections`) bounds how many are in flight.
 */
export class ClickHouseHttpTransport implements EventStoreTransport {
  /**
   * Bound parameters travel in the URL, and a server refuses a URI above `http_max_uri_size`
   * (1 MiB by default). An id is at most 64 characters of up to 4 UTF-8 bytes, each byte at
   * most 3 characters percent-encoded, plus quotes and a comma: 1000 ids stay under 800 KB.
   */
  readonly maxIdsPerQuery = 1000;

  constructor(private readonly client: ClickHouseClient) {}

  async query(sql: string, params: Record<string, unknown>, format: RowFormat): Promise<string> {
    const result = await this.client.query({ query: sql, query_params: params, format });
    return result.text();
  }

  stream(sql: string, params: Record<string, unknown>): RowStream {
    const abort = new AbortController();
    const client = this.client;
    return {
      cancel: () => abort.abort(),
      async *[Symbol.asyncIterator]() {
        const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow', abort_signal: abort.signal });
        try {
          for await (const rows of result.stream<Record<string, unknown>>()) {
            if (abort.signal.aborted) return;
            yield rows.map((row) => row.json());
          }
        } finally {
          result.close();
        }
      },
    };
  }

  /** The server's answer body as it arrives: `exec` hands over the socket's bytes without parsing them. */
  streamBytes(sql: string, params: Record<string, unknown>, format: EngineExportFormat): ByteStream {
    const abort = new AbortController();
    const client = this.client;
    return {
      cancel: () => abort.abort(),
      async *[Symbol.asyncIterator]() {
        const result = await client.exec({ query: `${sql}\nFORMAT ${format}`, query_params: params, abort_signal: abort.signal });
        try {
          for await (const chunk of result.stream as AsyncIterable<Buffer>) {
            if (abort.signal.aborted) return;
            yield chunk;
          }
        } finally {
          result.stream.destroy();
        }
      },
    };
  }

  /**
   * The NDJSON buffer goes out as it is (the client would re-encode objects), as the body of
   * `INSERT INTO t (columns) FORMAT …` — the same request `client.insert` makes.
   */
  async insert({ table, columns, values, format, settings }: RowInsert): Promise<void> {
    const result = await this.client.exec({
      query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT ${format}`,
      values: Readable.from([values], { objectMode: false }),
      clickhouse_settings: settings as ClickHouseSettings,
    });
    // The answer is empty, but its socket returns to the pool only once it has been read.
    for await (const _ of result.stream);
  }

  async command(sql: string, params?: Record<string, unknown>): Promise<void> {
    await this.client.command({ query: sql, ...(params ? { query_params: params } : {}) });
  }

  async ping(): Promise<void> {
    const answer = await this.client.ping();
    if (!answer.success) throw answer.error;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
