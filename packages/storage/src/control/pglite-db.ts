import { mkdir } from 'node:fs/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { importEmbeddedEngine } from '../embedded-engine.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { SCALAR_PARSERS } from './sql-types.ts';

/**
 * The embedded control store: PostgreSQL compiled to WebAssembly, data in `dir`. One process
 * may open a directory at a time. PGlite runs one statement at a time; its own `transaction`
 * holds a lock until commit, so concurrent callers never interleave inside each other's
 * transactions (a plain `query` waits for it).
 */
export async function openPgliteDb(dir: string): Promise<SqlDb> {
  await mkdir(dir, { recursive: true });
  // PGlite applies these element parsers to arrays (int8[], date[], …) as well.
  // Loaded only when the embedded profile opens it: scale-out processes run without PGlite.
  const { PGlite } = await importEmbeddedEngine(
    () => import('@electric-sql/pglite'),
    'PGlite, the embedded control store,',
    'DATABASE_URL',
  );
  const pg = await PGlite.create({ dataDir: dir, parsers: SCALAR_PARSERS });
  return new PgliteDb(pg);
}

class PgliteDb implements SqlDb {
  readonly kind = 'pglite' as const;
  constructor(private readonly pg: PGlite) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pg.query<T>(sql, [...params]);
    return result.rows;
  }

  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(wrapTransaction(tx)));
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

function wrapTransaction(tx: Transaction): SqlTx {
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await tx.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
  };
}
