import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { x as extractTar } from 'tar';
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
  // PGlite is the only WebAssembly in the process. V8 compiles it with its baseline compiler
  // (Liftoff) and by default recompiles hot functions with TurboFan; that second copy of the
  // code and the compiler's own memory cost ~80 MB of resident memory at start (bench/rss.ts:
  // 561 → 479 MB at /ready) and more CPU than it saves (the control contract tests: 39–45 →
  // 24–29 s of CPU) for control queries of a few hundred microseconds either way.
  // Read when a module is compiled, so it must be set before PGlite's first import.
  v8.setFlagsFromString('--liftoff-only');
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
 * Creates `dir` as a PGlite data directory when it is not one yet, for long-running processes
 * (the CLI's `start`); tests skip it and let openPgliteDb unpack or run initdb itself. The
 * template (one initdb's data directory, made by `npm install`) is a plain tar: it is unpacked
 * here as files, beside `dir` then renamed into place, so a crash mid-way leaves no half
 * directory and no WebAssembly instance is started for it (loading it through PGlite held
 * ~340 MB at start, which killed the start in a 400 MB container). Without a template, initdb
 * runs in a child process (pglite-init.child.mjs): its ~800 MB are returned when it exits.
 */
export async function initPgliteDir(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (!existsSync(PGLITE_TEMPLATE)) return initdbInChild(dir);
  const scratch = `${dir}.unpacking-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  try {
    // Entries are absolute (/PG_VERSION, /base/…); tar makes them relative to `cwd`.
    await extractTar({ file: PGLITE_TEMPLATE, cwd: scratch, gzip: true, onwarn: () => {} });
    // Only an empty directory gives way (made by hand, or by an earlier release's mkdir): never
    // anyone's files. rmdir refuses anything else, and the error names it.
    await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(scratch, dir);
  } catch (err) {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`Cannot create the control store in ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

async function initdbInChild(dir: string): Promise<void> {
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

  /** PGlite's own consistent dump (it runs between statements, like any other call). */
  async dumpDataDir(): Promise<Uint8Array> {
    const blob = await this.pg.dumpDataDir('none');
    return new Uint8Array(await blob.arrayBuffer());
  }
}

/** Creates the database in `dir` from a `dumpDataDir()` tarball (`unmogrowp restore`). */
export async function restorePgliteDataDir(dir: string, tarball: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { PGlite } = await importEmbeddedEngine(
    () => import('@electric-sql/pglite'),
    'PGlite, the embedded control store,',
    'DATABASE_URL',
  );
  const pg = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([tarball]) });
  await pg.close();
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
