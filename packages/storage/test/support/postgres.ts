import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

/**
 * PostgreSQL for tests: a throwaway database per run, created from a base URL that is only used
 * to create and drop it. Suites refuse any database whose name lacks "test", so a mistyped URL
 * can never migrate, fill or drop a real one.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export type PostgresAvailability = { available: true } | { available: false; reason: string };

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function assertTestDatabase(url: string): void {
  const name = databaseName(url);
  if (!name.includes('test')) {
    throw new Error(`refusing to use database "${name}": test suites only run against databases whose name contains "test"`);
  }
}

/** REQUIRE_SERVICES=1 (CI): an unreachable service fails the run instead of skipping. */
export function servicesRequired(): boolean {
  return process.env.REQUIRE_SERVICES === '1';
}

export async function probePostgres(baseUrl: string = TEST_DATABASE_URL): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { available: true };
  } catch (err) {
    return { available: false, reason: `PostgreSQL at ${redact(baseUrl)} is unreachable (${(err as Error).message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createThrowawayDatabase(baseUrl: string = TEST_DATABASE_URL): Promise<ThrowawayDatabase> {
  const name = `unmogrowp_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  assertTestDatabase(url.href);
  // Identifiers cannot be parameters; the name is ours and only [a-z0-9_].
  await admin(baseUrl, `create database "${name}"`);
  return {
    name,
    url: url.href,
    drop: async () => {
      assertTestDatabase(url.href);
      await admin(baseUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

/**
 * `describe` for a PostgreSQL suite: runs `body` when the server answers; otherwise a visibly
 * skipped suite naming the reason, or a failing test when REQUIRE_SERVICES=1.
 */
export function describeWithPostgres(title: string, availability: PostgresAvailability, body: () => void): void {
  if (availability.available) {
    describe(title, body);
  } else if (servicesRequired()) {
    describe(title, () => {
      it('needs a reachable PostgreSQL (REQUIRE_SERVICES=1)', () => {
        throw new Error(availability.reason);
      });
    });
  } else {
    console.warn(`[skip] ${title}: ${availability.reason}`);
    // Skipped only when PostgreSQL is absent and REQUIRE_SERVICES is not set (CI sets it, so there it fails instead).
    describe.skip(`${title} — skipped: ${availability.reason}`, body);
  }
}

async function admin(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
}
