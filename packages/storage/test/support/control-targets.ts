import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openControlStore, openPgliteDb, openPostgresDb, type SqlDb } from '../../src/index.ts';
import { assertTestDatabase, createThrowawayDatabase, describeWithPostgres, probePostgres } from './postgres.ts';

/**
 * A migrated control store for a contract suite. `second` stands in for another process on the
 * same data (for PGlite, one instance per directory, it is the same handle).
 *
 * The concurrency cases of these suites ("two concurrent uses of a token", "two enqueuers",
 * "two claimers", "two rotations") CANNOT race on PGlite: it has one connection, so its
 * statements run one after another and those cases pass there whatever the SQL's locking does.
 * Only their PostgreSQL half, with two real connections, proves anything; CI sets
 * REQUIRE_SERVICES=1 so that half fails instead of skipping when PostgreSQL is missing.
 */
export interface ControlTarget {
  db: SqlDb;
  second: SqlDb;
  /** Closes every connection and opens the same data again through `openControlStore`. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export type OpenControlTarget = () => Promise<ControlTarget>;

async function openPglite(): Promise<ControlTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'unmogrowp-control-'));
  const db = await openPgliteDb(join(dataDir, 'control'));
  await migrate(db);
  const target: ControlTarget = {
    db,
    second: db,
    async reopen() {
      await target.db.close();
      target.db = target.second = await openControlStore({ dataDir, databaseUrl: null });
    },
    async close() {
      await target.db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return target;
}

async function openPostgres(): Promise<ControlTarget> {
  const database = await createThrowawayDatabase();
  assertTestDatabase(database.url);
  const db = await openPostgresDb(database.url);
  await migrate(db);
  const target: ControlTarget = {
    db,
    second: await openPostgresDb(database.url, { max: 2 }),
    async reopen() {
      await Promise.all([target.db.close(), target.second.close()]);
      target.db = await openControlStore({ dataDir: '/nonexistent', databaseUrl: database.url });
      target.second = await openPostgresDb(database.url, { max: 2 });
    },
    async close() {
      await Promise.all([target.db.close(), target.second.close()]);
      await database.drop();
    },
  };
  return target;
}

/** Runs `suite` once per adapter: PGlite always, PostgreSQL when reachable (see describeWithPostgres). */
export async function forEachControlAdapter(suite: (name: string, open: OpenControlTarget) => void): Promise<void> {
  suite('PGlite', openPglite);
  describeWithPostgres('PostgreSQL', await probePostgres(), () => suite('PostgreSQL', openPostgres));
}
