/**
 * The control store's port: one SQL connection that speaks PostgreSQL. PGlite (embedded) and
 * PostgreSQL (`pg`) both implement it, so repositories and migrations are written once.
 * Parameters are always `$1, $2, …`; never build SQL from input.
 *
 * Both adapters return the same JS types (see `sql-types.ts`): int8/numeric as numbers where
 * exact, timestamptz/timestamp as Date (timestamp read as UTC), date as 'YYYY-MM-DD', jsonb as
 * parsed JSON, arrays as arrays.
 */
export interface SqlDb {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Runs `fn` in one transaction on one connection; rolls back if it throws. Inside `fn` use only
   * `tx`: the outer handle waits for the transaction (PGlite) or takes another connection (pg).
   */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** Multi-statement SQL without parameters (migrations only). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** What a transaction body may use: `exec` is there so a migration file runs inside its transaction. */
export type SqlTx = Pick<SqlDb, 'query' | 'exec'>;

/**
 * A transaction seen as a whole database, so repository functions (some of which open their
 * own transaction) can run inside a caller's transaction: a nested `transaction` runs inline on
 * the same connection and commits or rolls back with the outer one.
 */
export function transactionAsDb(tx: SqlTx, kind: SqlDb['kind']): SqlDb {
  return {
    kind,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => {},
  };
}
