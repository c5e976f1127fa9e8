import type { Platform } from '@unmogrowp/schema';
import { type AppColumns, type AppPatch, type NewAppInput, normalizeAppPatch, normalizeNewApp } from './app-input.ts';
import { displayPrefix, hashServerKey, type KeyKind, keyKindOf, newId, newKey } from './keys.ts';
import type { SqlDb, SqlTx } from './sql-db.ts';

/** An app as the API answers it (docs/api.md: snake_case, string ids, ISO-8601 UTC with ms). */
export interface App {
  id: string;
  name: string;
  platforms: Platform[];
  bundle_id: string | null;
  store_url_ios: string | null;
  store_url_android: string | null;
  web_url: string | null;
  settings: Record<string, unknown>;
  created_at: string;
}

export interface AppKeys {
  sdk_key: string;
  server_key: string;
}

export interface KeyMatch {
  app_id: string;
  kind: KeyKind;
}

interface AppRow extends Omit<App, 'created_at'> {
  created_at: Date;
}

const APP_COLUMNS = 'id, name, platforms, bundle_id, store_url_ios, store_url_android, web_url, settings, created_at';
/** Columns a patch may set; `settings` is merged separately. The SQL names come from here, never from input. */
const PATCHABLE = ['name', 'platforms', 'bundle_id', 'store_url_ios', 'store_url_android', 'web_url'] as const;

/** Creates the app with its first SDK and server keys in one transaction; the server key is only ever returned here. */
export async function createApp(db: SqlDb, input: NewAppInput): Promise<{ app: App } & AppKeys> {
  const columns = normalizeNewApp(input);
  return db.transaction((tx) => insertApp(tx, columns));
}

/** `createApp` inside a caller's transaction (e.g. together with its first manager). Input already normalized. */
export async function insertApp(tx: SqlTx, columns: AppColumns): Promise<{ app: App } & AppKeys> {
  const rows = await tx.query<AppRow>(
    `insert into apps (id, name, platforms, bundle_id, store_url_ios, store_url_android, web_url)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${APP_COLUMNS}`,
    [newId('app'), columns.name, columns.platforms, columns.bundle_id, columns.store_url_ios, columns.store_url_android, columns.web_url],
  );
  const app = toApp(rows[0]!);
  return { app, ...(await insertKeys(tx, app.id)) };
}

/** The app unless it is unknown or deleted. */
export async function getApp(db: Pick<SqlDb, 'query'>, id: string): Promise<App | null> {
  const rows = await db.query<AppRow>(`select ${APP_COLUMNS} from apps where id = $1 and deleted_at is null`, [id]);
  return rows[0] ? toApp(rows[0]) : null;
}

/** Live apps, oldest first; with `ids`, only those (the caller's memberships). */
export async function listApps(db: Pick<SqlDb, 'query'>, ids?: readonly string[]): Promise<App[]> {
  if (ids && ids.length === 0) return [];
  const rows = ids
    ? await db.query<AppRow>(
        `select ${APP_COLUMNS} from apps where deleted_at is null and id = any($1::text[]) order by created_at, created_seq`,
        [[...ids]],
      )
    : await db.query<AppRow>(`select ${APP_COLUMNS} from apps where deleted_at is null order by created_at, created_seq`);
  return rows.map(toApp);
}

/** Sets the fields present in `patch`; null for unknown or deleted apps. */
export async function updateApp(
  db: Pick<SqlDb, 'query'>,
  id: string,
  patch: AppPatch,
  options: { replaceSettings?: boolean } = {},
): Promise<App | null> {
  const changes = normalizeAppPatch(patch);
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const column of PATCHABLE) {
    if (changes[column] === undefined) continue;
    params.push(changes[column]);
    sets.push(`${column} = $${params.length}`);
  }
  if (changes.settings !== undefined) {
    params.push(JSON.stringify(changes.settings));
    // Replace: the caller merged deeply and validated the whole (PATCH /api/apps/:app_id).
    sets.push(options.replaceSettings ? `settings = $${params.length}::jsonb` : `settings = settings || $${params.length}::jsonb`);
  }
  if (sets.length === 0) return getApp(db, id);
  const rows = await db.query<AppRow>(
    `update apps set ${sets.join(', ')} where id = $1 and deleted_at is null returning ${APP_COLUMNS}`,
    params,
  );
  return rows[0] ? toApp(rows[0]) : null;
}

/** Soft-deletes the app and revokes its keys at once; false when it was unknown or already deleted. */
export async function deleteApp(db: SqlDb, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query('update apps set deleted_at = now() where id = $1 and deleted_at is null returning id', [id]);
    if (rows.length === 0) return false;
    await revokeKeys(tx, id);
    return true;
  });
}

/** New SDK and server keys; the old ones stop working as this commits. Null for unknown or deleted apps. */
export async function rotateKeys(db: SqlDb, appId: string): Promise<AppKeys | null> {
  return db.transaction(async (tx) => {
    // The row lock serializes concurrent rotations, so exactly one pair stays live.
    const rows = await tx.query('select id from apps where id = $1 and deleted_at is null for update', [appId]);
    if (rows.length === 0) return null;
    await revokeKeys(tx, appId);
    return insertKeys(tx, appId);
  });
}

/** The live SDK key (shown again in the dashboard) and the server key's display prefix. */
export async function getAppKeys(db: Pick<SqlDb, 'query'>, appId: string): Promise<{ sdk_key: string; server_key_prefix: string } | null> {
  const rows = await db.query<{ kind: KeyKind; secret: string | null; prefix: string }>(
    `select k.kind, k.secret, k.prefix from app_keys k join apps a on a.id = k.app_id
     where k.app_id = $1 and k.revoked_at is null and a.deleted_at is null`,
    [appId],
  );
  const sdk = rows.find((r) => r.kind === 'sdk');
  const server = rows.find((r) => r.kind === 'server');
  return sdk?.secret && server ? { sdk_key: sdk.secret, server_key_prefix: server.prefix } : null;
}

/**
 * Which app a presented key belongs to; null when malformed, unknown, revoked or the app is deleted.
 * A server key is compared through its SHA-256, so lookup time says nothing about the secret.
 */
export async function findKey(db: Pick<SqlDb, 'query'>, presented: string): Promise<KeyMatch | null> {
  const kind = keyKindOf(presented);
  if (!kind) return null;
  const [column, value] = kind === 'sdk' ? ['secret', presented] : ['secret_hash', hashServerKey(presented)];
  const rows = await db.query<KeyMatch>(
    `select k.app_id, k.kind from app_keys k join apps a on a.id = k.app_id
     where k.${column} = $1 and k.kind = $2 and k.revoked_at is null and a.deleted_at is null`,
    [value, kind],
  );
  return rows[0] ? { app_id: rows[0].app_id, kind: rows[0].kind } : null;
}

async function insertKeys(tx: SqlTx, appId: string): Promise<AppKeys> {
  const sdk_key = newKey('sdk');
  const server_key = newKey('server');
  await tx.query(
    `insert into app_keys (id, app_id, kind, secret, secret_hash, prefix)
     values ($1, $2, 'sdk', $3, null, $4), ($5, $2, 'server', null, $6, $7)`,
    [newId('key'), appId, sdk_key, displayPrefix(sdk_key), newId('key'), hashServerKey(server_key), displayPrefix(server_key)],
  );
  return { sdk_key, server_key };
}

async function revokeKeys(tx: SqlTx, appId: string): Promise<void> {
  await tx.query('update app_keys set revoked_at = now() where app_id = $1 and revoked_at is null', [appId]);
}

function toApp(row: AppRow): App {
  return {
    id: row.id,
    name: row.name,
    platforms: row.platforms,
    bundle_id: row.bundle_id,
    store_url_ios: row.store_url_ios,
    store_url_android: row.store_url_android,
    web_url: row.web_url,
    settings: row.settings,
    created_at: row.created_at.toISOString(),
  };
}
