import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppInputError,
  createApp,
  deleteApp,
  findKey,
  getApp,
  getAppKeys,
  listApps,
  listMigrations,
  migrate,
  openControlStore,
  openPgliteDb,
  openPostgresDb,
  rotateKeys,
  type SqlDb,
  updateApp,
} from '../src/index.ts';
import { assertTestDatabase, createThrowawayDatabase, describeWithPostgres, probePostgres } from './support/postgres.ts';

/** A fresh, unmigrated database; `second` stands in for another process on the same data. */
interface Target {
  db: SqlDb;
  second: SqlDb;
  /** Closes every connection and opens the same data again through `openControlStore`. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The type of every value, deep enough to tell number from string from Date from bigint. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

function controlStoreContract(name: string, open: () => Promise<Target>): void {
  describe(`control store contract: ${name}`, () => {
    let t: Target;
    let migratedAtOnce: number[];

    beforeAll(async () => {
      t = await open();
      migratedAtOnce = await Promise.all([migrate(t.db), migrate(t.second)]);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('applies each migration exactly once when two connections migrate at the same time', async () => {
      const files = await listMigrations();
      expect(files.length).toBeGreaterThan(0);
      expect(migratedAtOnce.reduce((a, b) => a + b, 0)).toBe(files.length);
      const rows = await t.db.query<{ version: number }>('select version from schema_migrations order by version');
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
    });

    it('is idempotent: migrating again applies nothing', async () => {
      expect(await migrate(t.db)).toBe(0);
      expect(await migrate(t.second)).toBe(0);
      const [count] = await t.db.query<{ n: number }>('select count(*) as n from schema_migrations');
      expect(count?.n).toBe((await listMigrations()).length);
    });

    it('creates an app and reads it back in the API shape', async () => {
      const before = Date.now();
      const { app } = await createApp(t.db, {
        name: '  Runner  ',
        platforms: ['web', 'ios', 'ios'],
        bundle_id: 'com.example.runner',
        store_url_ios: 'https://apps.apple.com/app/id1',
        web_url: 'https://example.com/',
      });
      expect(app).toEqual({
        id: expect.stringMatching(/^app_[0-9A-Za-z]{16}$/),
        name: 'Runner',
        platforms: ['ios', 'web'],
        bundle_id: 'com.example.runner',
        store_url_ios: 'https://apps.apple.com/app/id1',
        store_url_android: null,
        web_url: 'https://example.com/',
        settings: {},
        created_at: expect.stringMatching(ISO_MS_UTC),
      });
      expect(Math.abs(Date.parse(app.created_at) - before)).toBeLessThan(60_000);
      expect(await getApp(t.db, app.id)).toEqual(app);
      expect(await getApp(t.db, 'app_doesnotexist0000')).toBeNull();
    });

    it('refuses invalid input before touching the database', async () => {
      await expect(createApp(t.db, { name: ' ', platforms: ['ios'] })).rejects.toBeInstanceOf(AppInputError);
      await expect(createApp(t.db, { name: 'x', platforms: [] })).rejects.toMatchObject({ field: 'platforms' });
      await expect(createApp(t.db, { name: 'x', platforms: ['ios'], web_url: 'javascript:alert(1)' })).rejects.toMatchObject({
        field: 'web_url',
      });
    });

    it('lists apps created in the same instant in the order they were created', async () => {
      const made: string[] = [];
      for (let i = 0; i < 8; i++) made.push((await createApp(t.db, { name: `Tie ${i}`, platforms: ['ios'] })).app.id);
      // One timestamp for all: only the creation order can tell them apart (PGlite's clock counts milliseconds).
      await t.db.query(`update apps set created_at = '2026-01-01T00:00:00Z' where id = any($1::text[])`, [made]);
      expect((await listApps(t.db, made)).map((a) => a.id)).toEqual(made);
    });

    it('lists live apps oldest first, optionally only the given ids', async () => {
      const a = (await createApp(t.db, { name: 'List A', platforms: ['android'] })).app;
      const b = (await createApp(t.db, { name: 'List B', platforms: ['ios'] })).app;
      const all = await listApps(t.db);
      expect(all.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
      expect(all.findIndex((x) => x.id === a.id)).toBeLessThan(all.findIndex((x) => x.id === b.id));
      expect(await listApps(t.db, [b.id, 'app_unknown', a.id])).toEqual([a, b]);
      expect(await listApps(t.db, [])).toEqual([]);
    });

    it('updates only the fields a patch names, merges settings and clears with null', async () => {
      const { app } = await createApp(t.db, { name: 'Patch me', platforms: ['ios'], bundle_id: 'com.example.p' });
      const renamed = await updateApp(t.db, app.id, { name: 'Patched', bundle_id: null, settings: { click_window_hours: 48 } });
      expect(renamed).toEqual({ ...app, name: 'Patched', bundle_id: null, settings: { click_window_hours: 48 } });
      const merged = await updateApp(t.db, app.id, { settings: { probabilistic: false } });
      expect(merged?.settings).toEqual({ click_window_hours: 48, probabilistic: false });
      expect(await updateApp(t.db, app.id, {})).toEqual(merged);
      expect(await updateApp(t.db, 'app_unknown', { name: 'x' })).toBeNull();
      await expect(updateApp(t.db, app.id, { platforms: ['windows' as 'ios'] })).rejects.toBeInstanceOf(AppInputError);
    });

    it('issues keys of the documented format, distinct per app and kind', async () => {
      const created = await Promise.all([1, 2, 3].map((i) => createApp(t.db, { name: `Keys ${i}`, platforms: ['ios'] })));
      for (const { sdk_key, server_key } of created) {
        expect(sdk_key).toMatch(/^sdk_[0-9A-Za-z]{32}$/);
        expect(server_key).toMatch(/^srv_[0-9A-Za-z]{43}$/);
      }
      const all = created.flatMap((c) => [c.sdk_key.slice(4), c.server_key.slice(4)]);
      expect(new Set(all).size).toBe(all.length);
      expect(new Set(created.map((c) => c.app.id)).size).toBe(3);
    });

    it('finds the app of an SDK or server key, and nothing for anything else', async () => {
      const { app, sdk_key, server_key } = await createApp(t.db, { name: 'Find', platforms: ['android'] });
      expect(await findKey(t.db, sdk_key)).toEqual({ app_id: app.id, kind: 'sdk' });
      expect(await findKey(t.db, server_key)).toEqual({ app_id: app.id, kind: 'server' });
      const unknownSdk = `sdk_${'A'.repeat(32)}`;
      const unknownServer = `srv_${'A'.repeat(43)}`;
      for (const other of [unknownSdk, unknownServer, '', 'sdk_', sdk_key.toLowerCase(), `srv_${sdk_key.slice(4)}`, `${sdk_key} `]) {
        expect(await findKey(t.db, other)).toBeNull();
      }
      expect(await getAppKeys(t.db, app.id)).toEqual({ sdk_key, server_key_prefix: server_key.slice(0, 12) });
    });

    it('rotates keys: the old pair stops working at once, the new pair works', async () => {
      const { app, sdk_key, server_key } = await createApp(t.db, { name: 'Rotate', platforms: ['ios'] });
      const fresh = await rotateKeys(t.db, app.id);
      expect(fresh).not.toBeNull();
      expect(await findKey(t.db, sdk_key)).toBeNull();
      expect(await findKey(t.db, server_key)).toBeNull();
      expect(await findKey(t.db, fresh!.sdk_key)).toEqual({ app_id: app.id, kind: 'sdk' });
      expect(await findKey(t.db, fresh!.server_key)).toEqual({ app_id: app.id, kind: 'server' });
      expect((await getAppKeys(t.db, app.id))?.sdk_key).toBe(fresh!.sdk_key);
      await Promise.all([rotateKeys(t.db, app.id), rotateKeys(t.second, app.id)]);
      const live = await t.db.query<{ kind: string }>('select kind from app_keys where app_id = $1 and revoked_at is null order by kind', [
        app.id,
      ]);
      expect(live.map((r) => r.kind)).toEqual(['sdk', 'server']);
      expect(await rotateKeys(t.db, 'app_unknown')).toBeNull();
    });

    it('deletes softly: the app disappears, its keys are revoked, the row stays', async () => {
      const { app, sdk_key, server_key } = await createApp(t.db, { name: 'Delete', platforms: ['web'] });
      expect(await deleteApp(t.db, app.id)).toBe(true);
      expect(await deleteApp(t.db, app.id)).toBe(false);
      expect(await getApp(t.db, app.id)).toBeNull();
      expect((await listApps(t.db)).map((a) => a.id)).not.toContain(app.id);
      expect(await listApps(t.db, [app.id])).toEqual([]);
      expect(await updateApp(t.db, app.id, { name: 'back' })).toBeNull();
      expect(await rotateKeys(t.db, app.id)).toBeNull();
      expect(await findKey(t.db, sdk_key)).toBeNull();
      expect(await findKey(t.db, server_key)).toBeNull();
      expect(await getAppKeys(t.db, app.id)).toBeNull();
      const [row] = await t.db.query<{ deleted: boolean; live_keys: number }>(
        `select a.deleted_at is not null as deleted,
                (select count(*) from app_keys k where k.app_id = a.id and k.revoked_at is null) as live_keys
         from apps a where a.id = $1`,
        [app.id],
      );
      expect(row).toEqual({ deleted: true, live_keys: 0 });
    });

    it('stores the server key only as its SHA-256, never in clear', async () => {
      const { app, server_key } = await createApp(t.db, { name: 'Hash', platforms: ['ios'] });
      const rows = await t.db.query<{ kind: string; secret: string | null; secret_hash: string | null; dump: string }>(
        'select kind, secret, secret_hash, row_to_json(k)::text as dump from app_keys k where app_id = $1',
        [app.id],
      );
      const server = rows.find((r) => r.kind === 'server');
      expect(server?.secret).toBeNull();
      expect(server?.secret_hash).toBe(createHash('sha256').update(server_key).digest('hex'));
      for (const row of rows) expect(row.dump).not.toContain(server_key.slice(12));
    });

    it('keeps unicode app names intact', async () => {
      const names = ['日本語アプリ', 'Ünïcödé Café', 'تطبيق عربي', '🚀 Launch 👩‍💻', 'e\u0301te\u0301'];
      const ids = [];
      for (const n of names) {
        const { app } = await createApp(t.db, { name: n, platforms: ['ios'] });
        expect((await getApp(t.db, app.id))?.name).toBe(n);
        ids.push(app.id);
      }
      expect((await listApps(t.db, ids)).map((a) => a.name)).toEqual(names);
    });

    it('returns the same JS types through every adapter', async () => {
      const [row] = await t.db.query(
        `select count(*) as n, 42::int8 as i8, 9007199254740993::int8 as big, 1.50::numeric as num,
                12345678901234567890.5::numeric as wide, 7::int4 as i4, 0.25::float8 as f8, true as b, 'x'::text as s,
                '2024-02-29 23:59:58.123456+02'::timestamptz as tz, '2024-02-29 23:59:58.5'::timestamp as ts,
                '2024-02-29'::date as d, '{"a":[1,"x"]}'::jsonb as j, array['ios','web']::text[] as arr,
                array[1, 2]::int8[] as i8s, null::text as nothing`,
      );
      expect(row).toEqual({
        n: 1,
        i8: 42,
        big: '9007199254740993',
        num: 1.5,
        wide: '12345678901234567890.5',
        i4: 7,
        f8: 0.25,
        b: true,
        s: 'x',
        tz: new Date('2024-02-29T21:59:58.123Z'),
        ts: new Date('2024-02-29T23:59:58.500Z'),
        d: '2024-02-29',
        j: { a: [1, 'x'] },
        arr: ['ios', 'web'],
        i8s: [1, 2],
        nothing: null,
      });
      expect(shape(row)).toMatchObject({ tz: 'Date', ts: 'Date', n: 'number', big: 'string' });
      const { app } = await createApp(t.db, { name: 'Types', platforms: ['ios', 'android'] });
      expect(shape(app)).toEqual({
        id: 'string',
        name: 'string',
        platforms: ['string', 'string'],
        bundle_id: 'null',
        store_url_ios: 'null',
        store_url_android: 'null',
        web_url: 'null',
        settings: {},
        created_at: 'string',
      });
    });

    it('rolls a failed transaction back and keeps concurrent ones apart', async () => {
      const id = 'app_rolledback000000';
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query(`insert into apps (id, name, platforms) values ($1, 'gone', '{ios}')`, [id]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await t.db.query('select id from apps where id = $1', [id])).toEqual([]);
      const created = await Promise.all(
        Array.from({ length: 6 }, (_, i) => createApp(i % 2 ? t.db : t.second, { name: `Concurrent ${i}`, platforms: ['ios'] })),
      );
      for (const c of created) expect(await findKey(t.db, c.server_key)).toEqual({ app_id: c.app.id, kind: 'server' });
    });

    // Last: it replaces the connections.
    it('keeps the data when reopened through openControlStore', async () => {
      const { app, sdk_key } = await createApp(t.db, { name: 'Durable', platforms: ['android'] });
      await t.reopen();
      expect(await migrate(t.db)).toBe(0);
      expect(await getApp(t.db, app.id)).toEqual(app);
      expect(await findKey(t.db, sdk_key)).toEqual({ app_id: app.id, kind: 'sdk' });
    });
  });
}

controlStoreContract('PGlite', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'unmogrowp-control-'));
  const db = await openPgliteDb(join(dataDir, 'control'));
  // One PGlite instance per data directory: the "second process" is the same instance, and with
  // one connection nothing here can race (see support/control-targets.ts): only the PostgreSQL
  // half below tests concurrency, which is why CI requires PostgreSQL (REQUIRE_SERVICES=1).
  const target: Target = {
    db,
    second: db,
    async reopen() {
      await target.db.close();
      target.db = target.second = await openControlStore({ dataDir, databaseUrl: null });
      expect(target.db.kind).toBe('pglite');
    },
    async close() {
      await target.db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return target;
});

describeWithPostgres('PostgreSQL', await probePostgres(), () => {
  controlStoreContract('PostgreSQL', async () => {
    const database = await createThrowawayDatabase();
    assertTestDatabase(database.url);
    const target: Target = {
      db: await openPostgresDb(database.url),
      second: await openPostgresDb(database.url, { max: 2 }),
      async reopen() {
        await Promise.all([target.db.close(), target.second.close()]);
        target.db = target.second = await openControlStore({ dataDir: '/nonexistent', databaseUrl: database.url });
        expect(target.db.kind).toBe('postgres');
      },
      async close() {
        await Promise.all([target.db.close(), target.second.close()]);
        await database.drop();
      },
    };
    return target;
  });
});

describe('test database guard', () => {
  it('refuses a database whose name does not contain "test"', () => {
    expect(() => assertTestDatabase('postgres://postgres@127.0.0.1:5432/postgres')).toThrow(/refusing/);
    expect(() => assertTestDatabase('postgres://postgres@127.0.0.1:5432/unmogrowp_test_ab12')).not.toThrow();
  });
});
