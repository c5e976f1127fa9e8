import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { SqlDb, SqlTx } from './sql-db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Any fixed 64-bit number: every process migrating this database takes the same lock. */
const MIGRATION_LOCK_KEY = 7_305_184_961;

/** The numbered .sql files of `dir`, in order. Two files with one number is a mistake, not a choice. */
export async function listMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE_RE.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const version = Number(FILE_RE.exec(file)?.[1]);
    if (migrations.some((m) => m.version === version)) throw new Error(`two migrations are numbered ${version}: rename one (${file})`);
    const sql = await readFile(new URL(file, dir), 'utf8');
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies the migrations not applied yet, each in its own transaction, and returns how many it
 * applied. Every transaction first takes one advisory lock, so processes starting at the same
 * time on one PostgreSQL database apply each migration once: the loser waits, then sees it done.
 */
export async function migrate(db: SqlDb, dir: URL = MIGRATIONS_DIR): Promise<number> {
  const migrations = await listMigrations(dir);
  let applied = 0;
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await lockAndPrepare(tx);
      const rows = await tx.query<{ checksum: string }>('select checksum from schema_migrations where version = $1', [migration.version]);
      const done = rows[0];
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} changed after it was applied: add a new migration instead of editing it`);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (ran) applied++;
  }
  return applied;
}

async function lockAndPrepare(tx: SqlTx): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  // Under the lock: concurrent `create table if not exists` can otherwise collide in pg_type.
  await tx.query(
    `create table if not exists schema_migrations (
       version integer primary key,
       name text not null,
       checksum text not null,
       applied_at timestamptz not null default now()
     )`,
  );
}
