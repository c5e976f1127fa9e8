import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openPgliteDb, openPostgresDb, type SqlDb } from '../../src/index.ts';
import { assertTestDatabase, createThrowawayDatabase } from './postgres.ts';

/** A fresh, migrated control store; `second` stands in for another process on the same data. */
export interface ControlTarget {
  db: SqlDb;
  second: SqlDb;
  close(): Promise<void>;
}

/** PGlite in a temp directory. One instance per directory, so the "second process" is the same instance. */
export async function openPgliteTarget(): Promise<ControlTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'unmogrowp-control-'));
  const db = await openPgliteDb(join(dataDir, 'control'));
  await migrate(db);
  return {
    db,
    second: db,
    async close() {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A throwaway PostgreSQL database reached through two pools, so concurrency is real. */
export async function openPostgresTarget(): Promise<ControlTarget> {
  const database = await createThrowawayDatabase();
  assertTestDatabase(database.url);
  const db = await openPostgresDb(database.url);
  const second = await openPostgresDb(database.url, { max: 4 });
  await migrate(db);
  return {
    db,
    second,
    async close() {
      await Promise.all([db.close(), second.close()]);
      await database.drop();
    },
  };
}
