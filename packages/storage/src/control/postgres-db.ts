import type { Pool, PoolClient } from 'pg';
import type { SqlDb, SqlTx } from './sql-db.ts';
import { ARRAY_ELEMENT_OID, mapArray, SCALAR_PARSERS } from './sql-types.ts';

export interface PostgresDbOptions {
  /** Pool size (default 10). */
  max?: number;
  /**
   * An idle pooled connection failed (server restart, network). The pool already dropped it and
   * the next query reconnects, so the default ignores it; pass a logger to see it.
   */
  onIdleError?: (err: Error) => void;
}

/** The scale-out control store: a `pg` pool on `url`. Resolves once the server answered. */
export async function openPostgresDb(url: string, options: PostgresDbOptions = {}): Promise<SqlDb> {
  // Loaded here, not at module load: the embedded start imports this package but never pg.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: { getTypeParser: typeParsers(pg.types) } });
  // Without a listener an idle client's error would be thrown as an uncaught 'error' event.
  pool.on('error', (err) => options.onIdleError?.(err));
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PostgresDb(pool);
}

const TEXT_ARRAY_OID: number = 1009;

/** Same types as PGlite (see sql-types.ts); everything else keeps pg's default. */
function typeParsers(types: typeof import('pg').types) {
  const textArray = types.getTypeParser(TEXT_ARRAY_OID, 'text');
  return (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (format !== 'binary') {
      const scalar = SCALAR_PARSERS[oid];
      if (scalar) return scalar;
      const element = SCALAR_PARSERS[ARRAY_ELEMENT_OID[oid] ?? -1];
      if (element) return (value) => mapArray(textArray(value), element);
    }
    return types.getTypeParser(oid, format ?? 'text');
  };
}

class PostgresDb implements SqlDb {
  readonly kind = 'postgres' as const;
  private closed = false;
  constructor(private readonly pool: Pool) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(sql, [...params]);
    return result.rows as T[];
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await fn(wrapClient(client));
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch (rollbackErr) {
        // A connection that cannot roll back must not go back to the pool.
        broken = rollbackErr as Error;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    // No parameters: pg uses the simple query protocol, which accepts several statements.
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

function wrapClient(client: PoolClient): SqlTx {
  return {
    async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await client.query(sql, [...params])).rows as T[];
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  };
}
