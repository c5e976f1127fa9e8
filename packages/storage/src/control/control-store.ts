import { join } from 'node:path';
import { migrate } from './migrate.ts';
import { openPgliteDb } from './pglite-db.ts';
import { openPostgresDb } from './postgres-db.ts';
import type { SqlDb } from './sql-db.ts';

export interface ControlStoreConfig {
  dataDir: string;
  /** PostgreSQL for the scale-out profile; null keeps the control data embedded in `${dataDir}/control`. */
  databaseUrl: string | null;
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
