import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { importEmbeddedEngine } from '../embedded-engine.ts';
import { PGLITE_TEMPLATE } from './pglite-template.mjs';
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
  // Loaded only when the embedded profile opens it: scale-out processes run without PGlite.
  const { PGlite } = await importEmbeddedEngine(
    () => import('@electric-sql/pglite'),
    'PGlite, the embedded control store,',
    'DATABASE_URL',
  );
  // A new directory is unpacked from the installation's template when there is one (made by
  // `npm install`): seconds faster than initdb and ~500 MB less memory (pglite-init.child.mjs).
  const fresh = !existsSync(join(dir, 'PG_VERSION')) && existsSync(PGLITE_TEMPLATE);
  const pg = await PGlite.create({
    dataDir: dir,
    // PGlite applies these element parsers to arrays (int8[], date[], …) as well.
    parsers: SCALAR_PARSERS,
    postgresqlconf: SMALL_MEMORY,
    ...(fresh ? { loadDataDir: new Blob([readFileSync(PGLITE_TEMPLATE)]) } : {}),
  });
  return new PgliteDb(pg);
}

/**
 * PostgreSQL's memory settings, sized for control data (users, apps, keys, links, partners,
 * audit: megabytes, not gigabytes). The default 128 MB of shared buffers are WebAssembly memory
 * touched at start; 16 MB saved ~125 MB of resident memory (bench/rss.ts).
 */
const SMALL_MEMORY = ['shared_buffers = 16MB', 'wal_buffers = 1MB', 'maintenance_work_mem = 16MB', 'temp_buffers = 2MB'];

const INIT_SCRIPT = fileURLToPath(new URL('./pglite-init.child.mjs', import.meta.url));

/**
 * Creates `dir` as a PGlite data directory in a child process (pglite-init.child.mjs), when it
 * is not one yet: unpacked from the installation's template, so neither initdb's ~800 MB nor the
 * unpacking stay in this process, and a server's first start holds what a restart holds. For
 * long-running processes (the CLI's `start`); tests skip it and let openPgliteDb run initdb.
 */
export async function initPgliteDirInChild(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  await mkdir(dir, { recursive: true });
  try {
    await promisify(execFile)(process.execPath, [INIT_SCRIPT, dir], { timeout: 120_000 });
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    throw new Error(`Cannot create the control store in ${dir}: ${detail}`, { cause: err });
  }
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
