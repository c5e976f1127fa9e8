import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { afterAll, beforeAll } from 'vitest';
import { openClickHouseEventStore } from '../../src/events/clickhouse-event-store.ts';
import { type DevClickHouse, startDevClickHouse } from '../../src/events/dev-clickhouse/index.ts';
import type { EventStoreHarness } from '../event-store.contract.ts';

/** A real ClickHouse server for the suites, when one is reachable (CI machines have none). */
export const CLICKHOUSE_TEST_URL = process.env.CLICKHOUSE_TEST_URL;

/**
 * The event-store suites through the official client over HTTP to the chDB stand-in, started in
 * this process on a free port for the file's duration (one data directory, one database per
 * location).
 */
export function standInEventHarness(): EventStoreHarness & { standIn(): DevClickHouse } {
  let standIn: DevClickHouse | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'unmogrowp-dev-clickhouse-'));
  beforeAll(async () => {
    standIn = await startDevClickHouse({ dataDir: dir, port: 0 });
  });
  afterAll(async () => {
    await standIn?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const harness = httpEventHarness(() => {
    if (!standIn) throw new Error('the stand-in has not started');
    return standIn.url;
  });
  return { ...harness, standIn: () => standIn as DevClickHouse };
}

/** The suites against a ClickHouse server: a throwaway `unmogrowp_test_*` database per location, dropped after the file. */
export function httpEventHarness(url: () => string): EventStoreHarness {
  const clients = new Map<string, ClickHouseClient>();
  afterAll(async () => {
    for (const [database, client] of clients) {
      await client.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
      await client.close();
    }
  });
  const clientOf = (database: string) => {
    let client = clients.get(database);
    if (!client) {
      client = createClient({
        url: url(),
        database,
        clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
        log: { level: ClickHouseLogLevel.OFF },
      });
      clients.set(database, client);
    }
    return client;
  };
  return {
    async newLocation() {
      const database = `unmogrowp_test_${randomBytes(6).toString('hex')}`;
      clientOf(database);
      return database;
    },
    open: (database) => openClickHouseEventStore({ url: url(), database }),
    async select(database, sql, params) {
      const result = await clientOf(database).query({ query: sql, query_params: params, format: 'JSONEachRow' });
      return result.json<Record<string, unknown>>();
    },
    async exec(database, sql) {
      await clientOf(database).command({ query: sql });
    },
  };
}
