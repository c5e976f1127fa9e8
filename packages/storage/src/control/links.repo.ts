import type { AppAttributionSettings } from '@unmogrowp/attribution';
import { attributionSettingsOf } from './app-attribution-settings.ts';
import type { DeepLink } from './deep-link-input.ts';
import { randomBase62 } from './keys.ts';
import {
  type LinkColumns,
  type LinkDestinations,
  type LinkPatch,
  type NewLinkInput,
  normalizeLinkPatch,
  normalizeNewLink,
} from './link-input.ts';
import type { SqlDb } from './sql-db.ts';

/** A tracking link as the API answers it (snake_case, ISO-8601 UTC times). */
export interface Link extends LinkColumns {
  id: string;
  app_id: string;
  created_at: string;
  updated_at: string;
}

/** What the public click/impression routes need to answer without another query. */
export interface ClickLink {
  link: Link;
  app: {
    id: string;
    platforms: string[];
    store_url_ios: string | null;
    store_url_android: string | null;
    web_url: string | null;
    settings: AppAttributionSettings;
  };
}

/** 12 base62 characters ≈ 71 bits: short enough for ad URLs, too many to enumerate. */
export const LINK_ID_RANDOM_LENGTH = 12;
const LINK_ID_RE = new RegExp(`^lnk_[0-9A-Za-z]{${LINK_ID_RANDOM_LENGTH}}$`);

export function newLinkId(): string {
  return `lnk_${randomBase62(LINK_ID_RANDOM_LENGTH)}`;
}

/** Public routes check the shape first, so junk paths never reach the database. */
export function isLinkId(value: string): boolean {
  return LINK_ID_RE.test(value);
}

interface ClickAppRow {
  app_platforms: string[];
  store_url_ios: string | null;
  store_url_android: string | null;
  web_url: string | null;
  app_settings: Record<string, unknown>;
}

interface LinkRow extends Omit<Link, 'created_at' | 'updated_at'> {
  created_at: Date;
  updated_at: Date;
}

const COLUMN_NAMES = [
  'id',
  'app_id',
  'name',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'destinations',
  'click_window_hours',
  'view_window_hours',
  'is_retargeting',
  'enabled',
  'deep_link',
  'created_at',
  'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');
const LINK_COLUMNS_OF_L = COLUMN_NAMES.map((c) => `l.${c}`).join(', ');
/** Plain columns a patch may set (destinations merges separately). SQL names come from here, never from input. */
const PATCHABLE = [
  'name',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'click_window_hours',
  'view_window_hours',
  'is_retargeting',
  'enabled',
] as const;

/** Creates a link of a live app; null when the app is unknown or deleted. */
export async function createLink(db: Pick<SqlDb, 'query'>, appId: string, input: NewLinkInput): Promise<Link | null> {
  const c = normalizeNewLink(input);
  const rows = await db.query<LinkRow>(
    `insert into links (id, app_id, name, media_source, campaign, ad_set, ad, site_id, destinations, click_window_hours,
       view_window_hours, is_retargeting, enabled, deep_link)
     select $1, a.id, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14::jsonb from apps a where a.id = $2 and a.deleted_at is null
     returning ${COLUMNS}`,
    [
      newLinkId(),
      appId,
      c.name,
      c.media_source,
      c.campaign,
      c.ad_set,
      c.ad,
      c.site_id,
      JSON.stringify(c.destinations),
      c.click_window_hours,
      c.view_window_hours,
      c.is_retargeting,
      c.enabled,
      c.deep_link === null ? null : JSON.stringify(c.deep_link),
    ],
  );
  return rows[0] ? toLink(rows[0]) : null;
}

/** The link of this app, unless unknown, deleted, or another app's. */
export async function getLink(db: Pick<SqlDb, 'query'>, appId: string, linkId: string): Promise<Link | null> {
  const rows = await db.query<LinkRow>(`select ${COLUMNS} from links where id = $1 and app_id = $2 and deleted_at is null`, [
    linkId,
    appId,
  ]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** The app's live links (enabled or not), oldest first. */
export async function listLinks(db: Pick<SqlDb, 'query'>, appId: string): Promise<Link[]> {
  const rows = await db.query<LinkRow>(
    `select ${COLUMNS} from links where app_id = $1 and deleted_at is null order by created_at, created_seq`,
    [appId],
  );
  return rows.map(toLink);
}

/** Sets the fields a patch names; null for unknown, deleted or another app's links. */
export async function updateLink(db: Pick<SqlDb, 'query'>, appId: string, linkId: string, patch: LinkPatch): Promise<Link | null> {
  const changes = normalizeLinkPatch(patch);
  const sets: string[] = [];
  const params: unknown[] = [linkId, appId];
  for (const column of PATCHABLE) {
    if (changes[column] === undefined) continue;
    params.push(changes[column]);
    sets.push(`${column} = $${params.length}`);
  }
  if (changes.deep_link !== undefined) {
    params.push(changes.deep_link === null ? null : JSON.stringify(changes.deep_link));
    sets.push(`deep_link = $${params.length}::jsonb`);
  }
  if (changes.destinations !== undefined) {
    params.push(JSON.stringify(changes.destinations));
    // Merge per platform; a null value removes that platform.
    sets.push(`destinations = jsonb_strip_nulls(destinations || $${params.length}::jsonb)`);
  }
  if (sets.length === 0) return getLink(db, appId, linkId);
  const rows = await db.query<LinkRow>(
    `update links set ${sets.join(', ')}, updated_at = now()
     where id = $1 and app_id = $2 and deleted_at is null returning ${COLUMNS}`,
    params,
  );
  return rows[0] ? toLink(rows[0]) : null;
}

export async function setLinkEnabled(db: Pick<SqlDb, 'query'>, appId: string, linkId: string, enabled: boolean): Promise<Link | null> {
  return updateLink(db, appId, linkId, { enabled });
}

/** Soft delete: the row stays for reports (clicks keep their link_id); the public routes answer 404. */
export async function deleteLink(db: Pick<SqlDb, 'query'>, appId: string, linkId: string): Promise<boolean> {
  const rows = await db.query(
    'update links set deleted_at = now(), updated_at = now() where id = $1 and app_id = $2 and deleted_at is null returning id',
    [linkId, appId],
  );
  return rows.length > 0;
}

/**
 * For `GET /c/:link_id` and `/i/:link_id`: the link with its app's store URLs and attribution
 * settings. Null when the id is malformed or unknown, the link deleted or its app deleted (404);
 * a disabled link is returned with `enabled: false` (the route answers 410).
 */
export async function findClickLink(db: Pick<SqlDb, 'query'>, linkId: string): Promise<ClickLink | null> {
  if (!isLinkId(linkId)) return null;
  const rows = await db.query<LinkRow & ClickAppRow>(
    `select ${LINK_COLUMNS_OF_L}, a.platforms as app_platforms, a.store_url_ios, a.store_url_android, a.web_url,
            a.settings as app_settings
     from links l join apps a on a.id = l.app_id
     where l.id = $1 and l.deleted_at is null and a.deleted_at is null`,
    [linkId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    link: toLink(row),
    app: {
      id: row.app_id,
      platforms: row.app_platforms,
      store_url_ios: row.store_url_ios,
      store_url_android: row.store_url_android,
      web_url: row.web_url,
      settings: attributionSettingsOf(row.app_settings),
    },
  };
}

function toLink(row: LinkRow): Link {
  return {
    id: row.id,
    app_id: row.app_id,
    name: row.name,
    media_source: row.media_source,
    campaign: row.campaign,
    ad_set: row.ad_set,
    ad: row.ad,
    site_id: row.site_id,
    destinations: row.destinations as LinkDestinations,
    click_window_hours: row.click_window_hours,
    view_window_hours: row.view_window_hours,
    is_retargeting: row.is_retargeting,
    enabled: row.enabled,
    deep_link: (row.deep_link as DeepLink | null) ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
