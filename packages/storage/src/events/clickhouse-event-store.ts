import type { ClickHouseClient } from '@clickhouse/client';
import { ClickHouseHttpTransport } from './clickhouse-http-transport.ts';
import type { EventStore } from './event-store.ts';
import type { EventStoreTransport } from './event-store-transport.ts';
import { createTransportEventStore } from './transport-event-store.ts';

export interface ClickHouseEventStoreOptions {
  /**
   * `http(s)://[user[:password]@]host:port[/database]` (what `CLICKHOUSE_URL` holds). A path
   * names the database, like the official client reads it.
   */
  url: string;
  /** Overrides the database of the URL; default `default`. Created when missing. */
  database?: string;
  /** Per request; default 60 000 (a scan or a large insert on a busy server). */
  requestTimeoutMs?: number;
  /** Sockets to the server at most, i.e. statements in flight; default 10. */
  maxOpenConnections?: number;
  /** gzip request bodies (inserts) and answers; default off (CPU is scarcer than LAN bandwidth). */
  compression?: boolean;
}

/** Database names go into `CREATE DATABASE` as identifiers: letters, digits and `_` only. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Every request: 64-bit integers quoted in JSON, so counts stay exact through JSON.parse (the
 * chDB transport sets the same flag at connect).
 */
const QUERY_SETTINGS = { output_format_json_quote_64bit_integers: 1 } as const;

/**
 * The event store on a ClickHouse server (scale-out, `CLICKHOUSE_URL`): the same SQL, rows and
 * contract as the embedded chDB store, over the official `@clickhouse/client`. Creates the
 * database when missing and checks that the server answers; call `migrate()` next, as with chDB.
 */
export async function openClickHouseEventStore(options: ClickHouseEventStoreOptions): Promise<EventStore> {
  return createTransportEventStore(await openClickHouseTransport(options));
}

/** The server connection without the store around it (migrate-data writes rows as they were read). */
export async function openClickHouseTransport(options: ClickHouseEventStoreOptions): Promise<EventStoreTransport> {
  const { server, database } = splitUrl(options.url, options.database);
  // Loaded here, not at module load: the embedded start imports this package but never this client.
  const { ClickHouseLogLevel, createClient } = await import('@clickhouse/client');
  const common = {
    url: server,
    request_timeout: options.requestTimeoutMs ?? 60_000,
    max_open_connections: options.maxOpenConnections ?? 10,
    compression: { request: options.compression ?? false, response: options.compression ?? false },
    application: 'unmogrowp',
    clickhouse_settings: QUERY_SETTINGS,
    // Failures reach the caller as errors and are logged there, once, in the platform's format.
    log: { level: ClickHouseLogLevel.OFF },
  };
  const where = redact(server);
  if (database !== 'default') {
    const admin = createClient(common);
    try {
      // A connection the server is just closing (a restart, a cut stream) answers with a reset:
      // worth one more try before start-up fails.
      await ensureDatabase(admin, database).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ECONNRESET' && err.message !== 'aborted') throw err;
        return ensureDatabase(admin, database);
      });
    } catch (err) {
      throw new Error(`Cannot prepare the ClickHouse database ${database} at ${where}: ${(err as Error).message}`, { cause: err });
    } finally {
      await admin.close();
    }
  }
  const client = createClient({ ...common, database });
  const transport = new ClickHouseHttpTransport(client);
  try {
    await transport.ping();
  } catch (err) {
    await client.close();
    throw new Error(`Cannot reach ClickHouse at ${where}: ${(err as Error).message}`, { cause: err });
  }
  return transport;
}

/** Created only when missing, so a user allowed to use but not to create databases still starts. */
async function ensureDatabase(admin: ClickHouseClient, database: string): Promise<void> {
  const exists = await admin.query({
    query: 'SELECT count() AS n FROM system.databases WHERE name = {name:String}',
    query_params: { name: database },
    format: 'JSONEachRow',
  });
  const [row] = await exists.json<{ n: string | number }>();
  if (Number(row?.n) > 0) return;
  // An identifier cannot be a parameter; the name was checked against DATABASE_NAME.
  await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
}

function splitUrl(url: string, database: string | undefined): { server: URL; database: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`ClickHouse URL is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`ClickHouse URL must start with http:// or https://, got ${parsed.protocol}//`);
  }
  const fromPath = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, ''));
  const name = database ?? (fromPath || 'default');
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`ClickHouse database name ${JSON.stringify(name)} must be letters, digits and _ (not starting with a digit)`);
  }
  parsed.pathname = '/';
  return { server: parsed, database: name };
}

function redact(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.origin + (copy.username ? ` (user ${copy.username})` : '');
}
