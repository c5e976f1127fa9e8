import { join } from 'node:path';
import { migrate } from './migrate.ts';
import { initPgliteDir, openPgliteDb } from './pglite-db.ts';
import { openPostgresDb } from './postgres-db.ts';
import type { SqlDb } from './sql-db.ts';

export interface ControlStoreConfig {
  dataDir: string;
  /** PostgreSQL for the scale-out profile; null keeps the control data embedded in `${dataDir}/control`. */
  databaseUrl: string | null;
}

/** Before a long-running process opens an embedded control store for the first time: creates it in a child process (pglite-db.ts). */
export async function prepareControlStore(config: ControlStoreConfig): Promise<void> {
  if (!config.databaseUrl) await initPgliteDir(join(config.dataDir, 'control'));
}

/** Opens the control store the configuration asks for and brings its schema up to date. */
export async function openControlStore(config: ControlStoreConfig): Promise<SqlDb> {
  const db = config.databaseUrl ? await openPostgresDb(config.databaseUrl) : await openPgliteDb(join(config.dataDir, 'control'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
