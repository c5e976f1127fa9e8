/**
 * The control store's port: one SQL connection that speaks PostgreSQL. PGlite (embedded) and
 * PostgreSQL (`pg`) both implement it, so repositories and migrations are written once.
 * Parameters are always `$1, $2, …`; never build SQL from input.
 */
export interface SqlDb {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Pick<SqlDb, 'query'>) => Promise<T>): Promise<T>;
  /** Multi-statement SQL without parameters (migrations only). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
